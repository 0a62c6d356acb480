package storage

import (
	"context"
	"sync"
	"testing"
	"time"
)

// A signature is accepted once within the window, by one caller among
// many at once; once the window has passed, it is forgotten.
func TestFirstSignature(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	const window = 5 * time.Minute
	steps := []struct {
		name     string
		sig      string
		signedAt time.Time
		now      time.Time
		first    bool
	}{
		{"first use", "v0=aa", testNow, testNow, true},
		{"replayed at once", "v0=aa", testNow, testNow, false},
		{"replayed at the window's end", "v0=aa", testNow, testNow.Add(window), false},
		{"another signature", "v0=bb", testNow.Add(2 * time.Minute), testNow.Add(window), true},
		// This request sweeps v0=aa, older than the window: the window
		// alone refuses it from now on.
		{"later, a new one", "v0=cc", testNow.Add(6 * time.Minute), testNow.Add(6 * time.Minute), true},
		{"v0=bb, inside the window, is still remembered", "v0=bb", testNow.Add(2 * time.Minute), testNow.Add(6 * time.Minute), false},
		{"v0=aa was forgotten", "v0=aa", testNow, testNow.Add(6 * time.Minute), true},
	}
	for _, st := range steps {
		first, err := db.FirstSignature(ctx, st.sig, st.signedAt, window, st.now)
		if err != nil || first != st.first {
			t.Errorf("%s: %v, %v; want %v", st.name, first, err, st.first)
		}
	}

	// Two handles on one file, as two replicas: one acceptance.
	other, err := Open(db.path(t))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	var wg sync.WaitGroup
	var mu sync.Mutex
	accepted := 0
	start := make(chan struct{})
	for i := 0; i < 8; i++ {
		h := db
		if i%2 == 1 {
			h = other
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			first, err := h.FirstSignature(ctx, "v0=race", testNow, window, testNow)
			if err != nil {
				t.Error(err)
			}
			if first {
				mu.Lock()
				accepted++
				mu.Unlock()
			}
		}()
	}
	close(start)
	wg.Wait()
	if accepted != 1 {
		t.Errorf("the same signature was accepted %d times by two replicas", accepted)
	}
}

// path is the file of a test database.
func (db *DB) path(t *testing.T) string {
	t.Helper()
	return db.target
}

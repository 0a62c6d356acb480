package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"
)

// BackupResult describes a copy of the database that Backup wrote or
// Restore put in place.
type BackupResult struct {
	Path          string
	Bytes         int64
	SchemaVersion int
	Shops         int
	Reviews       int
	Orders        int
	Elapsed       time.Duration
	// Kept is where Restore saved the database it replaced ("" when there
	// was none).
	Kept string
	// MigratedFrom is the schema version of a restored backup that was
	// older than this dsrbot and was migrated (0 when it was current).
	MigratedFrom int
}

// sqliteURI turns a file path into a SQLite URI filename, so that options
// such as mode=ro apply and a path holding '?', '#' or '%' still names the
// file.
func sqliteURI(path string, params string) string {
	esc := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	return "file:" + esc + "?" + params
}

// Backup writes a consistent copy of the database at path to dest, while
// other connections and processes keep reading and writing it. It uses
// VACUUM INTO, which copies inside one read transaction: under WAL that is
// a snapshot that writers never wait for, and the copy comes out compacted
// and without a WAL of its own, a single file to move off the machine.
//
// The copy is written beside dest under a temporary name, checked with
// quick_check and synced, and only then given its name, so an interrupted
// backup never leaves a half-written dest. An existing dest is replaced
// only with force (the check and the naming are one atomic link).
func Backup(ctx context.Context, path, dest string, force bool) (*BackupResult, error) {
	start := time.Now()
	if _, err := os.Stat(path); err != nil {
		return nil, Errorf(ENOTFOUND, "there is no database at %s", path)
	}
	if same, _ := sameFile(path, dest); same {
		return nil, Errorf(EINVALID, "%s is the database itself: name another file", dest)
	}
	if !force {
		if _, err := os.Lstat(dest); err == nil {
			return nil, Errorf(ECONFLICT, "%s already exists: name a new file, or add --force to replace it", dest)
		}
	}
	src, err := sql.Open("sqlite3", sqliteURI(path, "mode=ro&_busy_timeout=10000"))
	if err != nil {
		return nil, err
	}
	defer src.Close()
	var version int
	if err := src.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if version == 0 {
		return nil, Errorf(EINVALID, "%s is not a dsrbot database (it has no dsrbot schema)", path)
	}

	// VACUUM INTO wants a file that does not exist or is empty.
	tmp, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".*.tmp")
	if err != nil {
		return nil, Errorf(EINVALID, "cannot write beside %s: %v", dest, unwrapPath(err))
	}
	tmpName := tmp.Name()
	tmp.Close()
	defer os.Remove(tmpName)
	if _, err := src.ExecContext(ctx, `VACUUM INTO ?`, tmpName); err != nil {
		return nil, fmt.Errorf("copy %s: %w", path, err)
	}
	if err := checkFile(ctx, tmpName); err != nil {
		return nil, fmt.Errorf("check the copy: %w", err)
	}
	res, err := describeFile(ctx, tmpName)
	if err != nil {
		return nil, fmt.Errorf("read the copy: %w", err)
	}
	if err := syncFile(tmpName); err != nil {
		return nil, err
	}
	if force {
		err = os.Rename(tmpName, dest)
	} else if err = os.Link(tmpName, dest); errors.Is(err, fs.ErrExist) {
		return nil, Errorf(ECONFLICT, "%s already exists: name a new file, or add --force to replace it", dest)
	}
	if err != nil {
		return nil, Errorf(EINVALID, "cannot write %s: %v", dest, unwrapPath(err))
	}
	syncDir(filepath.Dir(dest))
	if fi, err := os.Stat(dest); err == nil {
		res.Bytes = fi.Size()
	}
	res.Path, res.Elapsed = dest, time.Since(start)
	return res, nil
}

// Restore puts the backup at src in place of the database at path.
//
// The backup must be a dsrbot database that this binary can run: a schema
// version it knows (an older one is migrated right after), and intact.
//
// The database at path must not be in use. Whether another process holds
// it is asked of SQLite itself rather than of a lock file that dsrbot
// would keep: SQLite's own locks are held by every connection, whoever
// opened it (dsrbot serve, an import, a `run` from cron, the sqlite3
// shell), are released by the kernel when a process dies, so a crash never
// leaves a stale lock to clear by hand. Leaving WAL mode needs every other
// connection gone: if that cannot be had within a second, the database is
// in use and Restore refuses. Having it, the connection switches to
// exclusive locking, takes the write lock and keeps it while SQLite's
// online backup API writes the backup's pages into the same file, so no
// process can open the database half restored, and none is left holding a
// file that was swapped away beneath it.
//
// The database it replaces is first copied, byte for byte, to
// path.before-restore-TIME (returned in Kept), so a restore of the wrong
// file is undone by restoring that.
func Restore(ctx context.Context, src, path string, now time.Time) (*BackupResult, error) {
	start := time.Now()
	if same, _ := sameFile(src, path); same {
		return nil, Errorf(EINVALID, "%s is the database itself: name a backup", src)
	}
	res, err := checkBackup(ctx, src)
	if err != nil {
		return nil, err
	}

	fi, err := os.Stat(path)
	existed := err == nil && fi.Size() > 0
	dst, err := sql.Open("sqlite3", sqliteURI(path, "_busy_timeout=1000"))
	if err != nil {
		return nil, err
	}
	defer dst.Close()
	conn, err := dst.Conn(ctx)
	if err != nil {
		return nil, inUseOr(path, err)
	}
	defer conn.Close()
	var mode string
	if err := conn.QueryRowContext(ctx, `PRAGMA journal_mode = DELETE`).Scan(&mode); err != nil {
		return nil, inUseOr(path, err)
	}
	for _, stmt := range []string{`PRAGMA locking_mode = EXCLUSIVE`, `BEGIN EXCLUSIVE`, `COMMIT`} {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			return nil, inUseOr(path, err)
		}
	}
	// The lock is ours until conn closes: keep what is there now.
	if existed {
		res.Kept = fmt.Sprintf("%s.before-restore-%s", path, now.UTC().Format("20060102T150405Z"))
		if err := copyFile(path, res.Kept); err != nil {
			return nil, fmt.Errorf("keep the current database: %w", err)
		}
	}

	from, err := sql.Open("sqlite3", sqliteURI(src, "mode=ro"))
	if err != nil {
		return nil, err
	}
	defer from.Close()
	fromConn, err := from.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer fromConn.Close()
	err = conn.Raw(func(dc any) error {
		return fromConn.Raw(func(sc any) error {
			b, err := dc.(*sqlite3.SQLiteConn).Backup("main", sc.(*sqlite3.SQLiteConn), "main")
			if err != nil {
				return err
			}
			if _, err := b.Step(-1); err != nil {
				b.Finish()
				return err
			}
			return b.Finish()
		})
	})
	if err != nil {
		return nil, fmt.Errorf("restore %s into %s: %w", src, path, err)
	}
	conn.Close()
	dst.Close()

	// Open it as dsrbot does: WAL again, and an older schema migrated.
	db, err := Open(path)
	if err != nil {
		return nil, fmt.Errorf("open the restored database: %w", err)
	}
	defer db.Close()
	backupVersion := res.SchemaVersion
	if res, err = describeInto(ctx, db.sql, res); err != nil {
		return nil, err
	}
	if res.SchemaVersion != backupVersion {
		res.MigratedFrom = backupVersion
	}
	if fi, err := os.Stat(path); err == nil {
		res.Bytes = fi.Size()
	}
	res.Path, res.Elapsed = path, time.Since(start)
	return res, nil
}

// checkBackup opens a backup read-only and says what it holds, or why it
// cannot be restored.
func checkBackup(ctx context.Context, path string) (*BackupResult, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, Errorf(ENOTFOUND, "cannot read %s: %v", path, unwrapPath(err))
	}
	db, err := sql.Open("sqlite3", sqliteURI(path, "mode=ro"))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var version int
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return nil, Errorf(EINVALID, "%s is not a SQLite database", path)
	}
	if version > len(migrations) {
		return nil, Errorf(EINVALID, "%s has schema version %d, newer than this dsrbot (%d): restore it with the dsrbot that wrote it", path, version, len(migrations))
	}
	if err := checkFile(ctx, path); err != nil {
		return nil, Errorf(EINVALID, "%s is damaged (%v): restore another backup", path, err)
	}
	res, err := describeInto(ctx, db, &BackupResult{})
	if err != nil || version == 0 {
		return nil, Errorf(EINVALID, "%s is not a dsrbot database (it has no dsrbot schema)", path)
	}
	return res, nil
}

// describeFile reads a database file's schema version and how much it holds.
func describeFile(ctx context.Context, path string) (*BackupResult, error) {
	db, err := sql.Open("sqlite3", sqliteURI(path, "mode=ro"))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return describeInto(ctx, db, &BackupResult{})
}

func describeInto(ctx context.Context, db *sql.DB, res *BackupResult) (*BackupResult, error) {
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&res.SchemaVersion); err != nil {
		return nil, err
	}
	if res.SchemaVersion == 0 {
		return res, nil
	}
	err := db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM shops), (SELECT count(*) FROM reviews), (SELECT count(*) FROM orders)`).
		Scan(&res.Shops, &res.Reviews, &res.Orders)
	return res, err
}

// checkFile runs SQLite's quick_check on a database file.
func checkFile(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite3", sqliteURI(path, "mode=ro"))
	if err != nil {
		return err
	}
	defer db.Close()
	var verdict string
	if err := db.QueryRowContext(ctx, `PRAGMA quick_check(1)`).Scan(&verdict); err != nil {
		return err
	}
	if verdict != "ok" {
		return errors.New(verdict)
	}
	return nil
}

// inUseOr says that the database is in use when SQLite refused the lock,
// and that it is damaged when SQLite cannot read it: a restore is how one
// recovers from that, once the file is moved aside.
func inUseOr(path string, err error) error {
	var se sqlite3.Error
	switch {
	case IsBusy(err):
		return Errorf(ECONFLICT, "%s is in use by another process (dsrbot serve, an import, a run or the sqlite3 shell): stop it, then restore", path)
	case errors.As(err, &se) && (se.Code == sqlite3.ErrCorrupt || se.Code == sqlite3.ErrNotADB):
		return Errorf(EINVALID, "%s is damaged (%v): move it aside, then restore again", path, se.Code)
	}
	return fmt.Errorf("open %s: %w", path, err)
}

func sameFile(a, b string) (bool, error) {
	fa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	fb, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(fa, fb), nil
}

// copyFile copies src to a new file dst and syncs it.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// syncDir makes a rename or link in dir durable; where the platform
// cannot sync a directory, the copy is still whole, only its name may be
// lost to a power cut.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// unwrapPath drops the operation and path an *fs.PathError repeats, since
// the sentence around it names the file already.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

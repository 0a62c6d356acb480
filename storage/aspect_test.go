package storage

import (
	"slices"
	"testing"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		text string
		want []Aspect
	}{
		// Praise of one topic does not make it a complaint.
		{"物流很快但是质量差", []Aspect{AspectQuality}},
		{"尺码偏小，面料起球", []Aspect{AspectSize, AspectMaterial}},
		// Display order, not the order the buyer wrote them in.
		{"快递太慢了，包装也压坏了", []Aspect{AspectPackaging, AspectLogistics}},
		{"客服不回复", []Aspect{AspectService}},
		{"与图片不符，色差严重", []Aspect{AspectStyle, AspectDescription}},
		{"收到的时候外箱破损，少件", []Aspect{AspectLogistics}},
		{"质量不是很好，线头很多", []Aspect{AspectQuality}},
		{"不好", []Aspect{AspectOther}},
		{"质量不错", []Aspect{AspectOther}},
		{"", []Aspect{AspectOther}},
		{"Delivery was fast but the quality is poor", []Aspect{AspectQuality}},
		{"Too small, and the seller never replied", []Aspect{AspectSize, AspectService}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := Classify(tt.text)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Classify(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

func TestReviewAspectListRoundTrip(t *testing.T) {
	as := []Aspect{AspectSize, AspectLogistics, AspectService}
	r := Review{Aspects: joinAspects(as)}
	if r.Aspects != "size,logistics,service" {
		t.Fatalf("joinAspects = %q", r.Aspects)
	}
	if got := r.AspectList(); !slices.Equal(got, as) {
		t.Errorf("AspectList = %v, want %v", got, as)
	}
	if got := (&Review{}).AspectList(); got != nil {
		t.Errorf("AspectList of no aspects = %v, want nil", got)
	}
}

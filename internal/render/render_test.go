package render

import (
	"errors"
	"image"
	"image/color"
	"testing"
	"time"
)

type page struct{}

func (page) HTML() string { return "<b>x</b>" }

func TestText(t *testing.T) {
	tests := []struct {
		v    any
		want string
	}{
		{42, "42"},
		{"gopher", `"gopher"`},
		{[]int{1, 2}, "[]int{1, 2}"},
		{map[string]int{"a": 1}, `map[string]int{"a":1}`},
		{struct{ X, Y int }{1, 2}, "{X:1 Y:2}"},
		{[]struct{ X int }{{1}}, "[{X:1}]"},
		{errors.New("bad"), "bad"},
		{time.Second, "1s"},
		{nil, "nil"},
		{1.5, "1.5"},
	}
	for _, tt := range tests {
		if got := Text(tt.v); got != tt.want {
			t.Errorf("Text(%#v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestValues(t *testing.T) {
	if got := Values([]any{1, "a"})[Plain]; got != `(1, "a")` {
		t.Errorf("tuple = %q", got)
	}
	d := Value(page{})
	if d[HTML] != "<b>x</b>" || d[Plain] == nil {
		t.Errorf("HTML value = %v", d)
	}
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.White)
	if _, ok := Value(img)[PNG].(string); !ok {
		t.Errorf("image not rendered as PNG: %v", Value(img))
	}
}

type panicky struct{}

func (panicky) String() string { panic("bad") }
func (panicky) HTML() string   { panic("worse") }

func TestPanickingMethods(t *testing.T) {
	got := Value(panicky{})
	if got[Plain] != "%!v(PANIC=HTML method: worse)" || got[HTML] != nil {
		t.Errorf("Value = %v", got)
	}
	if got := Text(panicky{}); got != "%!v(PANIC=String method: bad)" {
		t.Errorf("Text = %q", got)
	}
}

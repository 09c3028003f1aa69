package supervisor

import (
	"io"
	"log"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/juggler-kernel/juggler/internal/wire"
)

// TestParseByteByByte feeds marks, multibyte runes and mark look-alikes one
// byte at a time and checks that the text comes out whole, in epochs, and
// that no incomplete rune or partial mark is ever released.
func TestParseByteByByte(t *testing.T) {
	const nonce = "abc"
	input := "héllo " + string(wire.SyncMark(nonce, 1)) + "wörld 😀" +
		wire.SyncPrefix + "other:2\x00" + // another worker's mark is text
		"\x00\x01jug" + "end✓" + string(wire.SyncMark(nonce, 2)) + "tail"
	cases := []struct {
		name  string
		chunk int
	}{{"bytes", 1}, {"pairs", 2}, {"sevens", 7}, {"whole", len(input)}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCoalescer(log.New(io.Discard, "", 0))
			c.setNonce(nonce)
			c.allow(100)
			var got [][]byte
			for i := 0; i < len(input); i += tc.chunk {
				c.write(stdout, []byte(input[i:min(i+tc.chunk, len(input))]))
				c.mu.Lock()
				for _, sg := range c.s[stdout].segs {
					if !utf8.Valid(sg.text) {
						t.Fatalf("segment %q is not valid UTF-8", sg.text)
					}
					if strings.Contains(string(sg.text), "\x00\x01juggler-sync:abc") {
						t.Fatalf("mark leaked into %q", sg.text)
					}
				}
				got = append(got, []byte(c.takeLocked(stdout)))
				c.mu.Unlock()
			}
			c.closeStream(stdout)
			c.mu.Lock()
			got = append(got, []byte(c.takeLocked(stdout)))
			epoch := c.s[stdout].epoch
			c.mu.Unlock()
			var all strings.Builder
			for _, g := range got {
				if !utf8.Valid(g) {
					t.Errorf("released %q: not valid UTF-8", g)
				}
				all.Write(g)
			}
			want := "héllo wörld 😀" + wire.SyncPrefix + "other:2\x00" + "\x00\x01jug" + "end✓tail"
			if all.String() != want {
				t.Errorf("text = %q, want %q", all.String(), want)
			}
			if epoch != 2 {
				t.Errorf("epoch = %d, want 2", epoch)
			}
		})
	}
}

// TestEpochHoldsText checks that text after mark N waits for its event.
func TestEpochHoldsText(t *testing.T) {
	c := newCoalescer(log.New(io.Discard, "", 0))
	c.setNonce("n")
	c.write(stdout, []byte("a"+string(wire.SyncMark("n", 1))+"b"))
	c.mu.Lock()
	if got := c.takeLocked(stdout); got != "a" {
		t.Errorf("before the event: %q", got)
	}
	c.mu.Unlock()
	c.allow(2)
	c.mu.Lock()
	if got := c.takeLocked(stdout); got != "b" {
		t.Errorf("after the event: %q", got)
	}
	c.mu.Unlock()
}

func TestHelpers(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{{"abc", 0}, {"ab\xc3", 1}, {"ab\xe2\x9c", 2}, {"\xf0\x9f\x98", 3}, {"é", 0}, {"\x80", 0}} {
		if got := incompleteRune([]byte(tc.in)); got != tc.want {
			t.Errorf("incompleteRune(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct {
		in   string
		want int
	}{{"abc", 0}, {"x\x00", 1}, {"x\x00\x01jugg", 6}, {"\x00\x01juggler-sync", 14}, {"\x00\x01x", 0}} {
		if got := partialPrefix([]byte(tc.in)); got != tc.want {
			t.Errorf("partialPrefix(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

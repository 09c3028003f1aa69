package kernel

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

func TestFrameGuard(t *testing.T) {
	greeting := make([]byte, greetingLen)
	long := func(flags byte, size uint64) []byte {
		b := []byte{flags | 0x02, 0, 0, 0, 0, 0, 0, 0, 0}
		binary.BigEndian.PutUint64(b[1:], size)
		return b
	}
	tests := []struct {
		name   string
		stream []byte
		ok     bool
	}{
		{"greeting only", greeting, true},
		{"short frames", append(append(append([]byte{}, greeting...), 0x04, 3, 'a', 'b', 'c'), 0x00, 0), true},
		{"long frame under limit", append(append(append([]byte{}, greeting...), long(0x01, 10)...), bytes.Repeat([]byte{'x'}, 10)...), true},
		{"long frame over limit", append(append([]byte{}, greeting...), long(0, 1<<40)...), false},
		{"forged huge size", append(append([]byte{}, greeting...), long(0, 1<<63)...), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Feed one byte at a time and all at once: the guard must not
			// depend on how reads split the stream.
			for _, chunk := range []int{1, len(tt.stream)} {
				g := frameGuard{max: 1 << 20, skip: greetingLen}
				var err error
				for i := 0; i < len(tt.stream) && err == nil; i += chunk {
					err = g.feed(tt.stream[i:min(i+chunk, len(tt.stream))])
				}
				if tt.ok && err != nil {
					t.Fatalf("chunk %d: %v", chunk, err)
				}
				if !tt.ok && !errors.Is(err, errFrameTooLarge) {
					t.Fatalf("chunk %d: err = %v, want errFrameTooLarge", chunk, err)
				}
			}
		})
	}
}

func TestFrameGuardMessageEnds(t *testing.T) {
	short := func(flags byte, body string) []byte { return append([]byte{flags, byte(len(body))}, body...) }
	long := func(flags byte, n int) []byte {
		b := []byte{flags | flagLong, 0, 0, 0, 0, 0, 0, 0, 0}
		binary.BigEndian.PutUint64(b[1:], uint64(n))
		return append(b, bytes.Repeat([]byte{'x'}, n)...)
	}
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	greeting := make([]byte, greetingLen)
	tests := []struct {
		name   string
		stream []byte
		ends   int
	}{
		{"greeting only", greeting, 0},
		{"command", cat(greeting, short(flagCommand, "READY")), 1},
		{"one frame", cat(greeting, short(0, "abc")), 1},
		{"empty frame", cat(greeting, short(0, "")), 1},
		{"message of three", cat(greeting, short(flagMore, "id"), short(flagMore, ""), long(0, 300)), 1},
		{"unfinished message", cat(greeting, short(flagMore, "id"), long(flagMore, 300)), 0},
		{"last body cut short", cat(greeting, short(flagMore, "id"), long(0, 300))[:greetingLen+4+9+299], 0},
		{"two messages", cat(greeting, short(flagMore, "a"), short(0, "b"), short(0, "c")), 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, chunk := range []int{1, 2, 7, len(tt.stream)} {
				g := frameGuard{max: 1 << 20, skip: greetingLen}
				ends := 0
				for i := 0; i < len(tt.stream); i += chunk {
					ends += g.messageEnds(tt.stream[i:min(i+chunk, len(tt.stream))])
				}
				if ends != tt.ends {
					t.Errorf("chunk %d: %d message ends, want %d", chunk, ends, tt.ends)
				}
			}
		})
	}
}

// TestLargeAndSmallMessages sends messages larger than the read buffer and
// the write gathering limit through the guarded connections, between
// small ones, and checks that every byte arrives in order.
func TestLargeAndSmallMessages(t *testing.T) {
	tk := startKernel(t, Options{})
	c := tk.c
	for _, n := range []int{0, 1, readBufSize - 1, readBufSize + 1, maxGather + 7, 3 << 20} {
		text := strings.Repeat("0123456789abcdef", n/16+1)[:n]
		req := c.send(c.shell, "execute_request", map[string]any{"code": "echo:" + text})
		if r := c.reply(c.shellCh, req); content(t, r)["status"] != "ok" {
			t.Fatalf("%d bytes: reply %v", n, content(t, r))
		}
		var got strings.Builder
		var kinds []string
		for _, m := range c.iopubUntilIdle(req)[req.Header.MsgID] {
			kinds = append(kinds, m.Header.MsgType)
			cm := content(t, m)
			switch m.Header.MsgType {
			case "execute_input":
				if cm["code"] != "echo:"+text {
					t.Errorf("%d bytes: execute_input code differs", n)
				}
			case "stream":
				got.WriteString(cm["text"].(string))
			}
		}
		want := "status,execute_input,stream,status"
		if n == 0 {
			want = "status,execute_input,status"
		}
		if k := strings.Join(kinds, ","); k != want {
			t.Errorf("%d bytes: iopub %s, want %s", n, k, want)
		}
		if got.String() != text {
			t.Errorf("%d bytes: stream text of %d bytes differs", n, got.Len())
		}
	}
}

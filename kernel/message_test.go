package kernel

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// wire builds frames for a message with the given key; sig overrides the
// computed signature when non-nil.
func wire(key string, ids []string, header, parent, meta, content string, sig []byte) [][]byte {
	s := signer{key: []byte(key)}
	var f [][]byte
	for _, id := range ids {
		f = append(f, []byte(id))
	}
	if sig == nil {
		sig = s.sign([]byte(header), []byte(parent), []byte(meta), []byte(content))
	}
	return append(f, delimiter, sig, []byte(header), []byte(parent), []byte(meta), []byte(content))
}

const testHeader = `{"msg_id":"m1","session":"s1","username":"u","date":"","msg_type":"execute_request","version":"5.4"}`

func TestParseMessage(t *testing.T) {
	good := wire("k", []string{"id1"}, testHeader, "{}", "{}", `{"code":"1"}`, nil)
	tests := []struct {
		name    string
		key     string
		frames  [][]byte
		wantErr error  // checked with errors.Is when set
		errText string // substring of the error when set
	}{
		{name: "ok", key: "k", frames: good},
		{name: "ok unsigned", key: "", frames: wire("", nil, testHeader, "{}", "{}", "{}", nil)},
		{name: "unsigned but key expected", key: "k", frames: wire("", nil, testHeader, "{}", "{}", "{}", nil), wantErr: errBadSignature},
		{name: "wrong key", key: "other", frames: good, wantErr: errBadSignature},
		{name: "tampered content", key: "k", frames: append(append([][]byte{}, good[:6]...), []byte(`{"code":"2"}`)), wantErr: errBadSignature},
		{name: "no delimiter", key: "k", frames: [][]byte{[]byte("a"), []byte("b")}, wantErr: errNoDelimiter},
		{name: "empty", key: "k", frames: nil, wantErr: errNoDelimiter},
		{name: "too few frames", key: "k", frames: good[:5], wantErr: errTooFewFrames},
		{name: "bad header json", key: "", frames: wire("", nil, "{", "{}", "{}", "{}", nil), errText: "header"},
		{name: "no msg_type", key: "", frames: wire("", nil, "{}", "{}", "{}", "{}", nil), errText: "msg_type"},
		{name: "bad parent", key: "", frames: wire("", nil, testHeader, "[]", "{}", "{}", nil), errText: "parent"},
		{name: "bad metadata", key: "", frames: wire("", nil, testHeader, "{}", "1", "{}", nil), errText: "metadata"},
		{name: "content not object", key: "", frames: wire("", nil, testHeader, "{}", "{}", `"x"`, nil), errText: "content"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := parseMessage(tt.frames, signer{key: []byte(tt.key)})
			switch {
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
			case tt.errText != "":
				if err == nil || !strings.Contains(err.Error(), tt.errText) {
					t.Fatalf("err = %v, want one mentioning %q", err, tt.errText)
				}
			case err != nil:
				t.Fatalf("unexpected error: %v", err)
			default:
				if m.Header.MsgType != "execute_request" {
					t.Fatalf("msg_type = %q", m.Header.MsgType)
				}
			}
		})
	}
}

func TestParseKeepsIdentitiesAndBuffers(t *testing.T) {
	f := wire("k", []string{"a", "b"}, testHeader, "{}", "{}", "{}", nil)
	f = append(f, []byte("buf1"), []byte("buf2"))
	m, err := parseMessage(f, signer{key: []byte("k")})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Identities) != 2 || string(m.Identities[1]) != "b" {
		t.Errorf("identities = %q", m.Identities)
	}
	if len(m.Buffers) != 2 || string(m.Buffers[0]) != "buf1" {
		t.Errorf("buffers = %q", m.Buffers)
	}
}

func TestReplyRoundTrip(t *testing.T) {
	s := signer{key: []byte("secret")}
	req, err := parseMessage(wire("secret", []string{"peer"}, testHeader, "{}", "{}", "{}", nil), s)
	if err != nil {
		t.Fatal(err)
	}
	r := req.NewReply("execute_reply", "k1", "kernel")
	if err := r.SetContent(map[string]any{"status": "ok"}); err != nil {
		t.Fatal(err)
	}
	frames, err := r.frames(s)
	if err != nil {
		t.Fatal(err)
	}
	got, err := parseMessage(frames, s)
	if err != nil {
		t.Fatalf("parse own reply: %v", err)
	}
	if got.ParentHeader != req.Header {
		t.Errorf("parent = %+v, want %+v", got.ParentHeader, req.Header)
	}
	h := got.Header
	if h.MsgType != "execute_reply" || h.Session != "k1" || h.Username != "kernel" || h.Version != "5.4" || h.MsgID == "" || h.MsgID == req.Header.MsgID {
		t.Errorf("header = %+v", h)
	}
	if _, err := time.Parse(time.RFC3339Nano, h.Date); err != nil || len(h.Date) != len("2006-01-02T15:04:05.000000Z") {
		t.Errorf("date %q: want RFC 3339 with microseconds (%v)", h.Date, err)
	}
	if string(got.Identities[0]) != "peer" {
		t.Errorf("identities = %q", got.Identities)
	}
	// metadata {} and content never null on the wire.
	if !bytes.Equal(frames[5], []byte("{}")) {
		t.Errorf("metadata frame = %s", frames[5])
	}
	var nilMap map[string]any
	if err := r.SetContent(nilMap); err != nil || string(r.Content) != "{}" {
		t.Errorf("nil content = %s, %v", r.Content, err)
	}
	empty := &Message{Header: newHeader("status", "s", "u")}
	frames, _ = empty.frames(s)
	if string(frames[3]) != "{}" || string(frames[5]) != "{}" {
		t.Errorf("empty parent/content = %s / %s", frames[3], frames[5])
	}
}

func TestSetContentError(t *testing.T) {
	m := &Message{Header: Header{MsgType: "display_data"}}
	if err := m.SetContent(map[string]any{"x": make(chan int)}); err == nil {
		t.Fatal("want an error for unencodable content")
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("id\x00<IDS|MSG>\x00sig\x00"+testHeader+"\x00{}\x00{}\x00{}"), "")
	f.Add([]byte("<IDS|MSG>\x00\x00{}\x00{}\x00{}\x00{}\x00b"), "k")
	f.Fuzz(func(t *testing.T, data []byte, key string) {
		frames := bytes.Split(data, []byte{0})
		s := signer{key: []byte(key)}
		m, err := parseMessage(frames, s)
		if err != nil {
			return
		}
		// A message that parses must re-encode and re-parse to the same
		// header, and its signature must verify only with the same key.
		out, err := m.frames(s)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		m2, err := parseMessage(out, s)
		if err != nil {
			t.Fatalf("re-parse: %v", err)
		}
		if m2.Header != m.Header {
			t.Fatalf("header changed: %+v != %+v", m2.Header, m.Header)
		}
		if key != "" {
			if _, err := parseMessage(out, signer{key: []byte(key + "x")}); !errors.Is(err, errBadSignature) {
				t.Fatalf("verified with the wrong key: %v", err)
			}
		}
		var v any
		if json.Unmarshal(m.Content, &v) != nil {
			t.Fatalf("content not JSON: %q", m.Content)
		}
	})
}

func FuzzVerify(f *testing.F) {
	f.Add("key", []byte("sig"), []byte("h"))
	f.Fuzz(func(t *testing.T, key string, sig, part []byte) {
		s := signer{key: []byte(key)}
		good := s.sign(part, part, part, part)
		if err := s.verify(good, part, part, part, part); err != nil {
			t.Fatalf("own signature rejected: %v", err)
		}
		if key != "" && !bytes.Equal(sig, good) {
			if err := s.verify(sig, part, part, part, part); err == nil {
				t.Fatalf("forged signature %q accepted", sig)
			}
		}
	})
}

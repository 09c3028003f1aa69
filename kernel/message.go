package kernel

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// ProtocolVersion is the messaging protocol version the kernel claims.
// Not 5.5: iopub_welcome needs XPUB subscription frames that zmq4 hides.
const ProtocolVersion = "5.4"

// delimiter separates routing identities from the message proper.
var delimiter = []byte("<IDS|MSG>")

// Header is a message header (and, for replies, the parent header).
type Header struct {
	MsgID    string `json:"msg_id"`
	Session  string `json:"session"`
	Username string `json:"username"`
	Date     string `json:"date"`
	MsgType  string `json:"msg_type"`
	Version  string `json:"version"`
}

// Message is one Jupyter message, decoded from or ready for the wire.
type Message struct {
	// Identities are the ROUTER routing frames before the delimiter; a
	// reply goes back to the same identities.
	Identities   [][]byte
	Header       Header
	ParentHeader Header
	// rawHeader and rawParent are the header and parent header as they
	// came on the wire, with any fields Header does not name (subshell_id).
	// A reply sends its request's rawHeader back verbatim as its parent
	// header, as ipykernel does.
	rawHeader, rawParent json.RawMessage
	// Metadata is never sent as null: nil marshals as {}.
	Metadata map[string]any
	// Content is the raw JSON content; never empty on the wire ({}).
	Content json.RawMessage
	Buffers [][]byte
}

// Errors returned by parseMessage; callers log them and drop the message.
var (
	errNoDelimiter  = errors.New("no <IDS|MSG> delimiter")
	errTooFewFrames = errors.New("too few frames after delimiter")
	errBadSignature = errors.New("bad signature")
)

// signer signs and verifies messages with the connection key.
// An empty key disables signing, as jupyter_client does.
type signer struct{ key []byte }

// sign returns the hex HMAC-SHA256 of the four signed frames, or "" when
// there is no key.
func (s signer) sign(parts ...[]byte) []byte {
	if len(s.key) == 0 {
		return nil
	}
	mac := hmac.New(sha256.New, s.key)
	for _, p := range parts {
		mac.Write(p)
	}
	sum := mac.Sum(nil)
	out := make([]byte, hex.EncodedLen(len(sum)))
	hex.Encode(out, sum)
	return out
}

// verify checks sig against the signed frames in constant time.
func (s signer) verify(sig []byte, parts ...[]byte) error {
	if len(s.key) == 0 {
		return nil
	}
	if len(sig) == 0 {
		return fmt.Errorf("%w: missing", errBadSignature)
	}
	if !hmac.Equal(sig, s.sign(parts...)) {
		return errBadSignature
	}
	return nil
}

// parseMessage decodes wire frames: identities, delimiter, signature,
// header, parent header, metadata, content, buffers. The signature is
// checked before any JSON is decoded.
func parseMessage(frames [][]byte, s signer) (*Message, error) {
	i := 0
	for i < len(frames) && !bytes.Equal(frames[i], delimiter) {
		i++
	}
	if i == len(frames) {
		return nil, errNoDelimiter
	}
	rest := frames[i+1:]
	if len(rest) < 5 {
		return nil, fmt.Errorf("%w: got %d, want at least 5", errTooFewFrames, len(rest))
	}
	if err := s.verify(rest[0], rest[1], rest[2], rest[3], rest[4]); err != nil {
		return nil, err
	}
	m := &Message{Identities: frames[:i], Buffers: rest[5:]}
	if err := json.Unmarshal(rest[1], &m.Header); err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	m.rawHeader, m.rawParent = bytes.Clone(rest[1]), bytes.Clone(rest[2])
	if m.Header.MsgType == "" {
		return nil, errors.New("header: missing msg_type")
	}
	if err := json.Unmarshal(rest[2], &m.ParentHeader); err != nil {
		return nil, fmt.Errorf("parent header: %w", err)
	}
	if err := json.Unmarshal(rest[3], &m.Metadata); err != nil {
		return nil, fmt.Errorf("metadata: %w", err)
	}
	// Content must be a JSON object: the request parsers decode into
	// structs, and a string or array there is a malformed message.
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(rest[4], &obj); err != nil {
		return nil, fmt.Errorf("content: %w", err)
	}
	m.Content = json.RawMessage(rest[4])
	if obj == nil {
		m.Content = json.RawMessage("{}")
	}
	return m, nil
}

// frames encodes the message for the wire and signs it.
func (m *Message) frames(s signer) ([][]byte, error) {
	header, err := json.Marshal(m.Header)
	if err != nil {
		return nil, fmt.Errorf("encode header: %w", err)
	}
	parent := []byte("{}")
	if len(m.rawParent) > 0 {
		parent = m.rawParent
	} else if m.ParentHeader != (Header{}) {
		if parent, err = json.Marshal(m.ParentHeader); err != nil {
			return nil, fmt.Errorf("encode parent header: %w", err)
		}
	}
	metadata := []byte("{}")
	if len(m.Metadata) > 0 {
		if metadata, err = json.Marshal(m.Metadata); err != nil {
			return nil, fmt.Errorf("encode metadata: %w", err)
		}
	}
	content := []byte(m.Content)
	if len(content) == 0 {
		content = []byte("{}")
	}
	out := make([][]byte, 0, len(m.Identities)+6+len(m.Buffers))
	out = append(out, m.Identities...)
	out = append(out, delimiter, s.sign(header, parent, metadata, content),
		header, parent, metadata, content)
	out = append(out, m.Buffers...)
	return out, nil
}

// newHeader makes a header for a new message in the given session.
func newHeader(msgType, session, username string) Header {
	return Header{
		MsgID:    newID(),
		Session:  session,
		Username: username,
		Date:     now(),
		MsgType:  msgType,
		Version:  ProtocolVersion,
	}
}

// NewReply makes a message caused by m, from the peer with the given
// session and username: m's header as parent (verbatim, when m came from
// the wire), a new msg_id and date, and m's identities, so it goes back to
// the requester on a ROUTER socket. Content is {} until SetContent.
//
// A kernel passes its own session, never the requester's: JupyterLab takes
// the session of the messages it gets as the kernel's and drops those with
// another one, so with two clients (a notebook and a console) every reply
// or output carrying the other client's session would be lost.
func (m *Message) NewReply(msgType, session, username string) *Message {
	return &Message{
		Identities:   m.Identities,
		Header:       newHeader(msgType, session, username),
		ParentHeader: m.Header,
		rawParent:    m.rawHeader,
		Content:      json.RawMessage("{}"),
	}
}

// SetContent encodes v as the message content. A nil map or struct pointer
// becomes {} so content is never null.
func (m *Message) SetContent(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s content: %w", m.Header.MsgType, err)
	}
	if bytes.Equal(b, []byte("null")) {
		b = []byte("{}")
	}
	m.Content = b
	return nil
}

// newID returns a random UUID-shaped message id.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+).
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// now is the ISO 8601 date with microseconds that jupyter_client writes.
func now() string {
	return time.Now().UTC().Format("2006-01-02T15:04:05.000000Z07:00")
}

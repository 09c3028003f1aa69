package stdlib

import (
	"bufio"
	"encoding"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"reflect"
)

// Hand-written, as upstream's stdlib/maptypes.go and wrapper-composed.go
// are: which interfaces host functions look for in an interface{} argument
// is behaviour, not a signature, so extract cannot see it.

func typeOf[T any]() reflect.Type { return reflect.TypeFor[T]() }

func init() {
	printing := []reflect.Type{typeOf[fmt.Formatter](), typeOf[fmt.Stringer]()}
	for _, f := range []any{
		fmt.Errorf, fmt.Fprint, fmt.Fprintf, fmt.Fprintln, fmt.Print, fmt.Printf, fmt.Println,
		fmt.Sprint, fmt.Sprintf, fmt.Sprintln, fmt.Append, fmt.Appendf, fmt.Appendln,
		log.Fatal, log.Fatalf, log.Fatalln, log.Panic, log.Panicf, log.Panicln,
		log.Print, log.Printf, log.Println,
	} {
		MapTypes[reflect.ValueOf(f)] = printing
	}
	scanning := []reflect.Type{typeOf[fmt.Scanner]()}
	for _, f := range []any{fmt.Scan, fmt.Scanf, fmt.Scanln, fmt.Fscan, fmt.Fscanf, fmt.Fscanln, fmt.Sscan, fmt.Sscanf, fmt.Sscanln} {
		MapTypes[reflect.ValueOf(f)] = scanning
	}
	MapTypes[reflect.ValueOf(json.Marshal)] = []reflect.Type{typeOf[json.Marshaler](), typeOf[encoding.TextMarshaler]()}
	MapTypes[reflect.ValueOf(json.MarshalIndent)] = MapTypes[reflect.ValueOf(json.Marshal)]
	MapTypes[reflect.ValueOf(json.Unmarshal)] = []reflect.Type{typeOf[json.Unmarshaler](), typeOf[encoding.TextUnmarshaler]()}
	MapTypes[reflect.ValueOf(xml.Marshal)] = []reflect.Type{typeOf[xml.Marshaler](), typeOf[encoding.TextMarshaler]()}
	MapTypes[reflect.ValueOf(xml.MarshalIndent)] = MapTypes[reflect.ValueOf(xml.Marshal)]
	MapTypes[reflect.ValueOf(xml.Unmarshal)] = []reflect.Type{typeOf[xml.Unmarshaler](), typeOf[encoding.TextUnmarshaler]()}

	// Composed wrappers: an interpreted value passed as the first interface
	// that also has the second's methods is wrapped as both, so io.Copy sees
	// WriteTo and ReadFrom, and net/http sees a Hijacker.
	MapTypes[reflect.ValueOf((*_io_Reader)(nil))] = []reflect.Type{typeOf[readerWriteTo]()}
	MapTypes[reflect.ValueOf((*_io_Writer)(nil))] = []reflect.Type{typeOf[writerReadFrom]()}
	MapTypes[reflect.ValueOf((*_net_http_ResponseWriter)(nil))] = []reflect.Type{typeOf[responseWriterHijacker]()}
}

// The composed wrappers follow extract's layout: IValue first, then one
// W-prefixed func field per method, which the interpreter fills in.

type readerWriteTo struct {
	IValue   any
	WRead    func(p []byte) (int, error)
	WWriteTo func(w io.Writer) (int64, error)
}

func (w readerWriteTo) Read(p []byte) (int, error)          { return w.WRead(p) }
func (w readerWriteTo) WriteTo(wr io.Writer) (int64, error) { return w.WWriteTo(wr) }

type writerReadFrom struct {
	IValue    any
	WWrite    func(p []byte) (int, error)
	WReadFrom func(r io.Reader) (int64, error)
}

func (w writerReadFrom) Write(p []byte) (int, error)         { return w.WWrite(p) }
func (w writerReadFrom) ReadFrom(r io.Reader) (int64, error) { return w.WReadFrom(r) }

type responseWriterHijacker struct {
	IValue       any
	WHeader      func() http.Header
	WWrite       func(p []byte) (int, error)
	WWriteHeader func(statusCode int)
	WHijack      func() (net.Conn, *bufio.ReadWriter, error)
}

func (w responseWriterHijacker) Header() http.Header         { return w.WHeader() }
func (w responseWriterHijacker) Write(p []byte) (int, error) { return w.WWrite(p) }
func (w responseWriterHijacker) WriteHeader(statusCode int)  { w.WWriteHeader(statusCode) }
func (w responseWriterHijacker) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return w.WHijack()
}

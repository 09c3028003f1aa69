package main

// overrides holds, per package, source written for the interpreter that
// replaces roots whose toolchain implementation is beyond it (rule 4 in
// generic.go); overrideNames lists the roots each replaces and
// overrideImports what it imports. Keep these few and short: everything
// else is the toolchain's own code.
var overrides = map[string]string{
	// iter.Pull and Pull2 run seq on a runtime coroutine (runtime.newcoro,
	// coroswitch: linkname'd). A goroutine handing values over unbuffered
	// channels gives the same sequence of events: seq runs only while next
	// waits, a panic in seq comes out of next or stop, stop makes yield
	// return false.
	"iter": `
type Seq[V any] func(yield func(V) bool)

type Seq2[K, V any] func(yield func(K, V) bool)

func Pull[V any](seq Seq[V]) (func() (V, bool), func()) {
	next, stop := Pull2(func(yield func(V, struct{}) bool) {
		seq(func(v V) bool { return yield(v, struct{}{}) })
	})
	return func() (V, bool) {
		v, _, ok := next()
		return v, ok
	}, stop
}

func Pull2[K, V any](seq Seq2[K, V]) (func() (K, V, bool), func()) {
	var (
		k       K
		v       V
		done    bool
		p       any
		panicked bool
		resume  = make(chan bool)
		yielded = make(chan bool)
	)
	go func() {
		finished := false
		defer func() {
			if !finished {
				p, panicked = recover(), true
			}
			yielded <- false
		}()
		if <-resume {
			seq(func(k1 K, v1 V) bool {
				k, v = k1, v1
				yielded <- true
				return <-resume
			})
		}
		finished = true
	}()
	end := func() {
		done = true
		if panicked {
			panicked = false
			panic(p)
		}
	}
	next := func() (K, V, bool) {
		var k0 K
		var v0 V
		if done {
			return k0, v0, false
		}
		resume <- true
		if <-yielded {
			return k, v, true
		}
		end()
		return k0, v0, false
	}
	stop := func() {
		if done {
			return
		}
		resume <- false
		for <-yielded {
			resume <- false
		}
		end()
	}
	return next, stop
}
`,
	// unique.Make keeps its canonical values in the runtime's weak,
	// type-indexed maps (internal/abi, internal/sync). One map keyed by the
	// value as an interface gives the same identities: interface equality
	// compares the dynamic type, then the value. Handles are never
	// collected.
	"unique": `
type Handle[T comparable] struct {
	value *T
}

func (h Handle[T]) Value() T {
	return *h.value
}

var handles sync.Map

func Make[T comparable](value T) Handle[T] {
	p, _ := handles.LoadOrStore(any(value), &value)
	return Handle[T]{p.(*T)}
}
`,
	// crypto/hkdf and crypto/pbkdf2 call crypto/internal/fips140's
	// implementations; these are the same algorithms over crypto/hmac
	// (FIPS 140-only mode is not enforced).
	"crypto/hkdf": `
func Extract[H hash.Hash](h func() H, secret, salt []byte) ([]byte, error) {
	newHash := func() hash.Hash { return h() }
	if salt == nil {
		salt = make([]byte, newHash().Size())
	}
	extractor := hmac.New(newHash, salt)
	extractor.Write(secret)
	return extractor.Sum(nil), nil
}

func Expand[H hash.Hash](h func() H, pseudorandomKey []byte, info string, keyLength int) ([]byte, error) {
	newHash := func() hash.Hash { return h() }
	if keyLength > newHash().Size()*255 {
		return nil, errors.New("hkdf: requested key length too large")
	}
	out := make([]byte, 0, keyLength)
	expander := hmac.New(newHash, pseudorandomKey)
	var counter uint8
	var buf []byte
	for len(out) < keyLength {
		counter++
		if counter > 1 {
			expander.Reset()
		}
		expander.Write(buf)
		expander.Write([]byte(info))
		expander.Write([]byte{counter})
		buf = expander.Sum(buf[:0])
		out = append(out, buf[:min(keyLength-len(out), len(buf))]...)
	}
	return out, nil
}

func Key[Hash hash.Hash](h func() Hash, secret, salt []byte, info string, keyLength int) ([]byte, error) {
	prk, err := Extract(h, secret, salt)
	if err != nil {
		return nil, err
	}
	return Expand(h, prk, info, keyLength)
}
`,
	"crypto/pbkdf2": `
func Key[Hash hash.Hash](h func() Hash, password string, salt []byte, iter, keyLength int) ([]byte, error) {
	if keyLength <= 0 {
		return nil, errors.New("pkbdf2: keyLength must be larger than 0")
	}
	prf := hmac.New(func() hash.Hash { return h() }, []byte(password))
	hashLen := prf.Size()
	numBlocks := (keyLength + hashLen - 1) / hashLen
	if keyLength+hashLen < keyLength || int64(numBlocks) > int64(1<<32-1) {
		return nil, errors.New("pbkdf2: keyLength too long")
	}
	var buf [4]byte
	dk := make([]byte, 0, numBlocks*hashLen)
	U := make([]byte, hashLen)
	for block := 1; block <= numBlocks; block++ {
		prf.Reset()
		prf.Write(salt)
		buf[0] = byte(block >> 24)
		buf[1] = byte(block >> 16)
		buf[2] = byte(block >> 8)
		buf[3] = byte(block)
		prf.Write(buf[:4])
		dk = prf.Sum(dk)
		T := dk[len(dk)-hashLen:]
		copy(U, T)
		for n := 2; n <= iter; n++ {
			prf.Reset()
			prf.Write(U)
			U = U[:0]
			U = prf.Sum(U)
			for x := range U {
				T[x] ^= U[x]
			}
		}
	}
	return dk[:keyLength], nil
}
`,
	// maps.Clone calls the runtime's map clone (no Go body).
	"maps": `
func Clone[M ~map[K]V, K comparable, V any](m M) M {
	if m == nil {
		return nil
	}
	r := make(M, len(m))
	for k, v := range m {
		r[k] = v
	}
	return r
}
`,
	// slices.overlaps (used by Insert and Replace) compares addresses
	// through package unsafe; reflect gives the same addresses.
	"slices": `
func overlaps[E any](a, b []E) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	size := reflect.TypeOf(a).Elem().Size()
	if size == 0 {
		return false
	}
	addr := func(p *E) uintptr { return reflect.ValueOf(p).Pointer() }
	return addr(&a[0]) <= addr(&b[len(b)-1])+(size-1) &&
		addr(&b[0]) <= addr(&a[len(a)-1])+(size-1)
}
`,
	// rand.N draws from the unexported global generator, seeded by the
	// runtime (no Go body); Uint64N is the same draw, exported.
	"math/rand/v2": `
func N[Int intType](n Int) Int {
	if n <= 0 {
		panic("invalid argument to N")
	}
	return Int(rand.Uint64N(uint64(n)))
}

type intType interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 |
		~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr
}
`,
	// reflect.TypeFor and TypeAssert read the runtime's type descriptors
	// (internal/abi); both are defined by what TypeOf and Interface give.
	"reflect": `
func TypeFor[T any]() reflect.Type {
	return reflect.TypeOf((*T)(nil)).Elem()
}

func TypeAssert[T any](v reflect.Value) (T, bool) {
	x, ok := v.Interface().(T)
	return x, ok
}
`,
	// atomic.Pointer stores an unsafe.Pointer; a mutex around a *T gives
	// the same atomicity (and vet's copylocks check, as noCopy does).
	"sync/atomic": `
type Pointer[T any] struct {
	mu sync.Mutex
	v  *T
}

func (x *Pointer[T]) Load() *T {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.v
}

func (x *Pointer[T]) Store(val *T) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.v = val
}

func (x *Pointer[T]) Swap(new *T) (old *T) {
	x.mu.Lock()
	defer x.mu.Unlock()
	old, x.v = x.v, new
	return old
}

func (x *Pointer[T]) CompareAndSwap(old, new *T) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.v != old {
		return false
	}
	x.v = new
	return true
}
`,
}

var overrideNames = map[string][]string{
	"iter":          {"Pull", "Pull2", "Seq", "Seq2"},
	"unique":        {"Handle", "Make"},
	"maps":          {"Clone"},
	"crypto/hkdf":   {"Extract", "Expand", "Key"},
	"crypto/pbkdf2": {"Key"},
	"slices":        {"overlaps"},
	"math/rand/v2":  {"N", "intType"},
	"reflect":       {"TypeFor", "TypeAssert"},
	"sync/atomic":   {"Pointer"},
}

var overrideImports = map[string][]string{
	"unique":        {"sync"},
	"crypto/hkdf":   {"crypto/hmac", "errors", "hash"},
	"crypto/pbkdf2": {"crypto/hmac", "errors", "hash"},
	"slices":        {"reflect"},
	"math/rand/v2":  {"math/rand/v2"},
	"reflect":       {"reflect"},
	"sync/atomic":   {"sync"},
}

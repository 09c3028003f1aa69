//go:build ignore

// logo_gen draws the kernel logos logo-32x32.png and logo-64x64.png: three
// balls in flight on a juggler's arc, in the Go brand colours. Run it with
// `go generate ./internal/install` after changing the drawing; the PNGs are
// committed so that building the kernel needs no generation step.
package main

import (
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
)

type rgba struct{ r, g, b, a float64 } // premultiplied, 0..1

func hex(v uint32) rgba {
	return rgba{float64(v>>16&0xff) / 255, float64(v>>8&0xff) / 255, float64(v&0xff) / 255, 1}
}

// over composites c (straight alpha a) over dst.
func over(dst rgba, c rgba, a float64) rgba {
	return rgba{
		c.r*a + dst.r*(1-a),
		c.g*a + dst.g*(1-a),
		c.b*a + dst.b*(1-a),
		a + dst.a*(1-a),
	}
}

func mix(c, d rgba, t float64) rgba {
	return rgba{c.r + (d.r-c.r)*t, c.g + (d.g-c.g)*t, c.b + (d.b-c.b)*t, 1}
}

type ball struct {
	angle  float64 // position on the arc, degrees
	colour rgba
}

var (
	goBlue   = hex(0x00ADD8)
	fuchsia  = hex(0xCE3262)
	yellow   = hex(0xFDDD00)
	darkBlue = hex(0x007D9C)
	white    = rgba{1, 1, 1, 1}
)

// Geometry in a unit square, y down.
const (
	arcX, arcY, arcR = 0.5, 0.80, 0.40
	arcWidth         = 0.045
	ballR            = 0.14
	outline          = 0.03
)

var balls = []ball{{150, goBlue}, {90, yellow}, {30, fuchsia}}

// sample is the colour at one point of the unit square.
func sample(x, y float64) rgba {
	var c rgba
	// The arc: the upper half of a circle, fading towards its ends, drawn
	// as dashes so it reads as a trajectory rather than a handle.
	dx, dy := x-arcX, y-arcY
	d := math.Hypot(dx, dy)
	ang := math.Atan2(-dy, dx) * 180 / math.Pi
	if math.Abs(d-arcR) < arcWidth/2 && ang > 2 && ang < 178 {
		if int(ang/9)%2 == 0 {
			c = over(c, darkBlue, 0.8)
		}
	}
	for _, b := range balls {
		a := b.angle * math.Pi / 180
		bx, by := arcX+arcR*math.Cos(a), arcY-arcR*math.Sin(a)
		dd := math.Hypot(x-bx, y-by)
		if dd > ballR {
			continue
		}
		// A soft highlight towards the upper left gives the ball volume.
		h := math.Hypot(x-(bx-0.4*ballR), y-(by-0.4*ballR)) / ballR
		fill := mix(b.colour, white, math.Max(0, 0.55*(1-h)))
		if dd > ballR-outline {
			fill = mix(b.colour, rgba{0, 0, 0, 1}, 0.35)
		}
		c = over(c, fill, 1)
	}
	return c
}

func draw(size int) *image.NRGBA {
	const ss = 8 // supersampling per axis, for anti-aliased edges
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var acc rgba
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					x := (float64(px) + (float64(sx)+0.5)/ss) / float64(size)
					y := (float64(py) + (float64(sy)+0.5)/ss) / float64(size)
					s := sample(x, y)
					acc.r += s.r
					acc.g += s.g
					acc.b += s.b
					acc.a += s.a
				}
			}
			n := float64(ss * ss)
			a := acc.a / n
			if a == 0 {
				continue
			}
			img.SetNRGBA(px, py, color.NRGBA{
				R: uint8(math.Round(acc.r / n / a * 255)),
				G: uint8(math.Round(acc.g / n / a * 255)),
				B: uint8(math.Round(acc.b / n / a * 255)),
				A: uint8(math.Round(a * 255)),
			})
		}
	}
	return img
}

func main() {
	for _, size := range []int{32, 64} {
		name := "logo-" + itoa(size) + "x" + itoa(size) + ".png"
		f, err := os.Create(name)
		if err != nil {
			log.Fatal(err)
		}
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		if err := enc.Encode(f, draw(size)); err != nil {
			log.Fatal(err)
		}
		if err := f.Close(); err != nil {
			log.Fatal(err)
		}
	}
	// A large rendering to check the drawing by eye; not committed.
	if len(os.Args) > 1 {
		f, err := os.Create(os.Args[1])
		if err != nil {
			log.Fatal(err)
		}
		if err := png.Encode(f, draw(256)); err != nil {
			log.Fatal(err)
		}
		f.Close()
	}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

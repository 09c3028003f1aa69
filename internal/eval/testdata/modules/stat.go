package main

import (
	"fmt"

	"gonum.org/v1/gonum/stat"
)

func main() {
	xs := []float64{1, 2, 3, 4, 5, 6}
	ys := []float64{2, 4, 5, 4, 5, 7}
	fmt.Printf("mean %.4f sd %.4f\n", stat.Mean(xs, nil), stat.StdDev(xs, nil))
	fmt.Printf("corr %.4f\n", stat.Correlation(xs, ys, nil))
	a, b := stat.LinearRegression(xs, ys, nil, false)
	fmt.Printf("fit %.4f %.4f\n", a, b)
	fmt.Printf("median %.1f\n", stat.Quantile(0.5, stat.Empirical, xs, nil))
}

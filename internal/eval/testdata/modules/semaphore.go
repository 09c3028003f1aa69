package main

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/sync/semaphore"
)

func main() {
	sem := semaphore.NewWeighted(3)
	ctx := context.Background()
	var mu sync.Mutex
	running, peak := 0, 0
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		if err := sem.Acquire(ctx, 1); err != nil {
			panic(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer sem.Release(1)
			mu.Lock()
			running++
			if running > peak {
				peak = running
			}
			mu.Unlock()
			mu.Lock()
			running--
			mu.Unlock()
		}()
	}
	wg.Wait()
	fmt.Println("peak <= 3:", peak <= 3, "try:", sem.TryAcquire(3), sem.TryAcquire(1))
}

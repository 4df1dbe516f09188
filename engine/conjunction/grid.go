package conjunction

import "math"

// box is an axis-aligned bounding box (km, TEME).
type box struct{ lo, hi vec }

func (a *box) overlaps(b *box) bool {
	return a.lo[0] <= b.hi[0] && b.lo[0] <= a.hi[0] &&
		a.lo[1] <= b.hi[1] && b.lo[1] <= a.hi[1] &&
		a.lo[2] <= b.hi[2] && b.lo[2] <= a.hi[2]
}

// Cell coordinates are clamped to [-cellHalf, cellHalf), cellBits bits
// each (±126,000 km at the usual 246 km cell). Clamping is monotone, so
// boxes that overlap still share a cell; objects beyond the clamp merely
// share boundary cells.
const (
	cellBits = 10
	cellHalf = 1 << (cellBits - 1)
	cellMask = 1<<cellBits - 1
)

// maxCellsPerBox bounds the cells one box is entered in; a larger box (an
// object with a huge interpolation bound) is kept aside and tested against
// every box of the interval instead.
const maxCellsPerBox = 64

// spatialGrid is a uniform grid over TEME, rebuilt for every sieve
// interval as a list of (cell key, object) entries sorted by key with a
// three-pass radix sort: sequential memory traffic instead of the random
// probes of a hash table, which is what bounds the sieve's speed.
type spatialGrid struct {
	inv      float64  // 1 / cell size (1/km)
	ent, tmp []uint64 // key<<32 | object
	oversize []int32  // objects whose box spans more than maxCellsPerBox cells
	hist     [1 << cellBits]int32
}

func newSpatialGrid(cellKm float64) *spatialGrid { return &spatialGrid{inv: 1 / cellKm} }

func (g *spatialGrid) reset() {
	g.ent = g.ent[:0]
	g.oversize = g.oversize[:0]
}

// cell returns the clamped cell coordinate of x (km).
func (g *spatialGrid) cell(x float64) int64 {
	c := math.Floor(x * g.inv)
	switch {
	case c < -cellHalf:
		return -cellHalf
	case c > cellHalf-1:
		return cellHalf - 1
	case c != c: // NaN
		return 0
	}
	return int64(c)
}

func cellKey(ix, iy, iz int64) uint64 {
	return uint64(ix+cellHalf) | uint64(iy+cellHalf)<<cellBits | uint64(iz+cellHalf)<<(2*cellBits)
}

// insert enters object o in every cell its box touches. It reports whether
// the box lies in a single cell.
func (g *spatialGrid) insert(b *box, o int32) bool {
	x0, x1 := g.cell(b.lo[0]), g.cell(b.hi[0])
	y0, y1 := g.cell(b.lo[1]), g.cell(b.hi[1])
	z0, z1 := g.cell(b.lo[2]), g.cell(b.hi[2])
	if (x1-x0+1)*(y1-y0+1)*(z1-z0+1) > maxCellsPerBox {
		g.oversize = append(g.oversize, o)
		return false
	}
	for ix := x0; ix <= x1; ix++ {
		for iy := y0; iy <= y1; iy++ {
			for iz := z0; iz <= z1; iz++ {
				g.ent = append(g.ent, cellKey(ix, iy, iz)<<32|uint64(uint32(o)))
			}
		}
	}
	return x0 == x1 && y0 == y1 && z0 == z1
}

// sort orders the entries by cell key (LSD radix sort, cellBits per pass).
func (g *spatialGrid) sort() {
	n := len(g.ent)
	if cap(g.tmp) < n {
		g.tmp = make([]uint64, n, cap(g.ent))
	}
	src, dst := g.ent, g.tmp[:n]
	for pass := range 3 {
		shift := uint(32 + pass*cellBits)
		clear(g.hist[:])
		for _, e := range src {
			g.hist[(e>>shift)&cellMask]++
		}
		var sum int32
		for d := range g.hist {
			c := g.hist[d]
			g.hist[d] = sum
			sum += c
		}
		for _, e := range src {
			d := (e >> shift) & cellMask
			dst[g.hist[d]] = e
			g.hist[d]++
		}
		src, dst = dst, src
	}
	// Three passes leave the result in the scratch buffer: swap roles.
	g.ent, g.tmp = src, dst
}

// ownerKey is the key of the cell holding the low corner of the
// intersection of two overlapping boxes: the one cell, of those both boxes
// touch, where the pair is examined.
func (g *spatialGrid) ownerKey(a, b *box) uint64 {
	return cellKey(g.cell(max(a.lo[0], b.lo[0])), g.cell(max(a.lo[1], b.lo[1])), g.cell(max(a.lo[2], b.lo[2])))
}

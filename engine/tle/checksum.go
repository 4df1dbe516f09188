package tle

// Checksum returns the TLE checksum of line: the sum of its digits over
// columns 1-68, each '-' counting 1, modulo 10. Column 69, where the
// checksum itself is written, and anything after it are ignored.
func Checksum(line string) int { return checksum(line) }

// checkValue is each byte's contribution to the checksum.
var checkValue = func() (t [256]uint8) {
	for c := '0'; c <= '9'; c++ {
		t[c] = uint8(c - '0')
	}
	t['-'] = 1
	return t
}()

func checksum[T text](line T) int {
	n := min(len(line), 68)
	sum := 0
	for i := 0; i < n; i++ {
		sum += int(checkValue[line[i]])
	}
	return sum % 10
}

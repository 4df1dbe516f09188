package tle

// text lets one parser serve both Parse (strings) and Reader (byte slices)
// without converting, so the Reader allocates nothing per line.
type text interface{ ~string | ~[]byte }

// pow10 holds the powers of ten that float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// maxExactMantissa is 2^53: integers below it are exact in float64.
const maxExactMantissa = 1 << 53

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// trimSpaces returns s without leading and trailing blanks.
func trimSpaces[T text](s T) T {
	i, j := 0, len(s)
	for i < j && s[i] == ' ' {
		i++
	}
	for j > i && s[j-1] == ' ' {
		j--
	}
	return s[i:j]
}

// scaled returns m·10^exp10, correctly rounded when m < 2^53 and the power of
// ten is exact (the same result strconv.ParseFloat gives for that decimal).
func scaled(m uint64, exp10 int) (float64, bool) {
	if m >= maxExactMantissa {
		return 0, false
	}
	f := float64(m)
	switch {
	case exp10 == 0:
		return f, true
	case exp10 < 0 && -exp10 < len(pow10):
		return f / pow10[-exp10], true
	case exp10 > 0 && exp10 < len(pow10):
		return f * pow10[exp10], true // may round only when the result exceeds 2^53, still one rounding
	}
	return 0, false
}

// decimalSpec bounds a fixed-point field so that whatever Parse accepts,
// Format can write back to the same value.
type decimalSpec struct {
	maxInt  int // significant integer digits
	maxFrac int // fractional digits
}

// parseDecimal parses a fixed-point number such as " 51.6416", "-.00000084"
// or "+.00006643" (blanks around it allowed, no exponent) within spec.
func parseDecimal[T text](s T, spec decimalSpec) (float64, bool) {
	s = trimSpaces(s)
	if len(s) == 0 {
		return 0, false
	}
	neg := false
	i := 0
	if s[0] == '+' || s[0] == '-' {
		neg = s[0] == '-'
		i++
	}
	var m uint64
	digits, frac, intSig := 0, 0, 0
	seenDot := false
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c):
			digits++
			if seenDot {
				frac++
			} else if m != 0 || c != '0' {
				intSig++
			}
			if intSig > spec.maxInt || frac > spec.maxFrac {
				return 0, false
			}
			m = m*10 + uint64(c-'0')
		case c == '.' && !seenDot:
			seenDot = true
		default:
			return 0, false
		}
	}
	if digits == 0 {
		return 0, false
	}
	v, ok := scaled(m, -frac) // spec keeps m below 2^53 and frac small
	if !ok {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

// parseUint parses a right-justified unsigned integer ("  999"); a blank
// field is blankOK's answer (0).
func parseUint[T text](s T, blankOK bool) (int, bool) {
	s = trimSpaces(s)
	if len(s) == 0 {
		return 0, blankOK
	}
	if len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// parseImpliedExp parses the TLE implied-decimal exponent form used by the
// second derivative of mean motion and B*: " 12345-3" = 0.12345e-3,
// "-11606-4", "+00000+0", " 00000-0": a sign or blank, one to five mantissa
// digits, the exponent's sign and one digit. A blank field is zero.
func parseImpliedExp[T text](s T) (float64, bool) {
	s = trimSpaces(s)
	if len(s) == 0 {
		return 0, true
	}
	neg := false
	i := 0
	if s[0] == '+' || s[0] == '-' {
		neg = s[0] == '-'
		i++
	}
	// mantissa digits, then a signed one-digit exponent
	if len(s)-i < 3 {
		return 0, false
	}
	mant := s[i : len(s)-2]
	es, ed := s[len(s)-2], s[len(s)-1]
	if (es != '+' && es != '-') || !isDigit(ed) || len(mant) == 0 || len(mant) > 5 {
		return 0, false
	}
	var m uint64
	for j := 0; j < len(mant); j++ {
		if !isDigit(mant[j]) {
			return 0, false
		}
		m = m*10 + uint64(mant[j]-'0')
	}
	exp := int(ed - '0')
	if es == '-' {
		exp = -exp
	}
	v, ok := scaled(m, exp-len(mant))
	if !ok {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

package main

import (
	"bufio"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/astroshield/astroshield/engine/sgp4"
)

// propagateWriter receives states in order: one object's times, then the next.
type propagateWriter interface {
	begin() error
	state(norad int, tsinceMin float64, s *sgp4.State) error
	failure(norad int, tsinceMin float64, err error) error
	end() error
}

// errorCode is the SGP4 error code written in error rows ("error=6").
func errorCode(err error) string {
	var code sgp4.ErrorCode
	var serr *sgp4.Error
	switch {
	case errors.As(err, &code):
	case errors.As(err, &serr):
		code = sgp4.ErrorCode(serr.Code)
	default:
		return "init"
	}
	return strconv.Itoa(int(code))
}

type csvStateWriter struct {
	w   *bufio.Writer
	buf []byte
}

func (c *csvStateWriter) begin() error {
	_, err := c.w.WriteString("norad,tsince_min,x_km,y_km,z_km,vx_km_s,vy_km_s,vz_km_s\n")
	return err
}

func (c *csvStateWriter) state(norad int, t float64, s *sgp4.State) error {
	b := strconv.AppendInt(c.buf[:0], int64(norad), 10)
	b = append(b, ',')
	b = strconv.AppendFloat(b, t, 'f', -1, 64)
	for _, x := range s.RTEMEKm {
		b = append(b, ',')
		b = strconv.AppendFloat(b, x, 'f', 8, 64)
	}
	for _, x := range s.VTEMEKmS {
		b = append(b, ',')
		b = strconv.AppendFloat(b, x, 'f', 11, 64)
	}
	b = append(b, '\n')
	c.buf = b
	_, err := c.w.Write(b)
	return err
}

func (c *csvStateWriter) failure(norad int, t float64, err error) error {
	_, werr := fmt.Fprintf(c.w, "%d,%s,error=%s\n", norad, strconv.FormatFloat(t, 'f', -1, 64), errorCode(err))
	return werr
}

func (c *csvStateWriter) end() error { return nil }

// jsonStateWriter writes one JSON array with the CSV column names as keys.
type jsonStateWriter struct {
	w     *bufio.Writer
	buf   []byte
	wrote bool
}

func (j *jsonStateWriter) sep() {
	if j.wrote {
		j.w.WriteString(",\n")
	} else {
		j.w.WriteString("[\n")
	}
	j.wrote = true
}

func (j *jsonStateWriter) begin() error { return nil }

func (j *jsonStateWriter) state(norad int, t float64, s *sgp4.State) error {
	j.sep()
	b := append(j.buf[:0], `{"norad":`...)
	b = strconv.AppendInt(b, int64(norad), 10)
	b = append(b, `,"tsince_min":`...)
	b = strconv.AppendFloat(b, t, 'f', -1, 64)
	keys := [6]string{"x_km", "y_km", "z_km", "vx_km_s", "vy_km_s", "vz_km_s"}
	vals := [6]float64{s.RTEMEKm[0], s.RTEMEKm[1], s.RTEMEKm[2], s.VTEMEKmS[0], s.VTEMEKmS[1], s.VTEMEKmS[2]}
	for i, k := range keys {
		b = append(b, `,"`...)
		b = append(b, k...)
		b = append(b, `":`...)
		b = strconv.AppendFloat(b, vals[i], 'g', -1, 64)
	}
	b = append(b, '}')
	j.buf = b
	_, err := j.w.Write(b)
	return err
}

func (j *jsonStateWriter) failure(norad int, t float64, err error) error {
	j.sep()
	_, werr := fmt.Fprintf(j.w, `{"norad":%d,"tsince_min":%s,"error":%q,"message":%q}`,
		norad, strconv.FormatFloat(t, 'f', -1, 64), errorCode(err), err.Error())
	return werr
}

func (j *jsonStateWriter) end() error {
	if !j.wrote {
		_, err := j.w.WriteString("[]\n")
		return err
	}
	_, err := j.w.WriteString("\n]\n")
	return err
}

// nullStateWriter computes everything and prints one summary line.
type nullStateWriter struct {
	w      *bufio.Writer
	n, e   int
	sumRKm float64
}

func (z *nullStateWriter) begin() error { return nil }

func (z *nullStateWriter) state(_ int, _ float64, s *sgp4.State) error {
	r := s.RTEMEKm
	z.sumRKm += math.Sqrt(r[0]*r[0] + r[1]*r[1] + r[2]*r[2])
	z.n++
	return nil
}

func (z *nullStateWriter) failure(int, float64, error) error { z.e++; return nil }

func (z *nullStateWriter) end() error {
	_, err := fmt.Fprintf(z.w, "propagated %d states, %d errors, sum_r_km %.6f\n", z.n, z.e, z.sumRKm)
	return err
}

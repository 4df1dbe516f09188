// Package ccsds reads and writes CCSDS Orbit Mean-elements Messages (OMM, KVN and XML, plus CelesTrak's JSON and CSV) and Conjunction Data Messages (CDM 1.0/2.0, KVN and XML).
package ccsds

// Package codec holds how every store encodes the values a row keeps that
// are not plain columns: the recipient's part of a delivery or digest item
// that references its notice's shared card (card.go), and the times an
// event shows in its own zone (zoned.go). The stores' SQL differs; what the
// bytes in those columns mean does not, so that a deployment copies from
// one store to the other column by column.
package codec

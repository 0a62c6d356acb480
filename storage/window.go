package storage

import "time"

// Window is how far back the platform's score looks: 抖店's 商家体验分
// weighs the last 30 days, Taobao's DSR is a 180-day mean of the buyers'
// ratings. A bad review or a late order counts against the score from the
// day it happens until it leaves the window, which is why "why did it
// move", "which products drag it" and "when does it recover" are all asked
// of the same span.
func (p Platform) Window() time.Duration {
	if p == Taobao {
		return 180 * 24 * time.Hour
	}
	return 30 * 24 * time.Hour
}

// WindowDays is Window in days, as a person reads it ("in 30 days").
func (p Platform) WindowDays() int { return int(p.Window() / (24 * time.Hour)) }

// Dimension is the part of the score an aspect of a bad review weighs on:
// what the buyer says of the goods (size, material, style, quality, the
// description) on the product dimension (商品体验, 描述相符), delivery and
// what arrived damaged by it (logistics, packaging) on logistics (物流体验,
// 物流服务), and the shop's people on service (服务体验, 服务态度). A
// review that names no aspect weighs on no one dimension: ok is false.
func (a Aspect) Dimension() (d Dimension, ok bool) {
	switch a {
	case AspectSize, AspectMaterial, AspectStyle, AspectQuality, AspectDescription:
		return DimProduct, true
	case AspectLogistics, AspectPackaging:
		return DimLogistics, true
	case AspectService:
		return DimService, true
	}
	return "", false
}

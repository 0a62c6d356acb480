package storage

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// DemoOptions size the demo. The defaults make a small agency: four shops
// and a few months of business; benchmarks scale it to 30 shops and 200k
// orders.
type DemoOptions struct {
	Seed   uint64
	Shops  int // at least 4; shops past the first four are generated
	Orders int // orders over 90 days across all shops
	TZ     string
}

// DefaultDemo is what `dsrbot demo` and the first start of the shell load.
var DefaultDemo = DemoOptions{Seed: 1, Shops: 4, Orders: 20000, TZ: "Asia/Shanghai"}

// DemoDays is how many days of history the demo holds.
const DemoDays = 90

// DemoResult counts what the demo wrote.
type DemoResult struct {
	Shops, Scores, Reviews, Orders int
}

// demoShop is a demo shop with the story its data tells.
type demoShop struct {
	Shop
	products []demoProduct
	weight   float64 // share of orders
	growth   bool    // in the growth stage: a handful of orders
	// drop is the dimension that falls over the last days (the story the
	// score card has to explain), and staleDays how many recent days have
	// no score imported.
	drop       Dimension
	dropPerDay float64
	staleDays  int
	// offset moves the shop's whole score, so shops sit at different
	// distances from the gates.
	offset float64
}

type demoProduct struct {
	id, name string
	price    int64 // fen
}

var demoBaseShops = []demoShop{
	{
		Shop: Shop{ID: "dy-fashion", Name: "潮衣馆 Trend Closet", Platform: Douyin, Lang: LangEnglish},
		products: []demoProduct{
			{"3581001", "连衣裙 L 黑色", 15900}, {"3581002", "连衣裙 M 白色", 15900},
			{"3581003", "针织开衫 米色", 12900}, {"3581004", "牛仔阔腿裤", 9900}, {"3581005", "羊毛大衣 驼色", 49900},
		},
		weight: 3, drop: DimLogistics, dropPerDay: 3.2, offset: -2.5,
	},
	{
		Shop: Shop{ID: "dy-home", Name: "家居小铺 Cozy Home", Platform: Douyin, Lang: LangChinese},
		products: []demoProduct{
			{"4620001", "珊瑚绒四件套", 19900}, {"4620002", "记忆棉枕头", 8900}, {"4620003", "收纳箱三件装", 4900},
		},
		growth: true,
	},
	{
		Shop: Shop{ID: "tb-tea", Name: "茶香阁 Tea House", Platform: Taobao, Lang: LangEnglish},
		products: []demoProduct{
			{"6120001", "西湖龙井 250g", 26800}, {"6120002", "正山小种 礼盒", 19800}, {"6120003", "白茶饼 357g", 15800},
		},
		weight: 1.5, drop: DimService, dropPerDay: 0.03, staleDays: 2,
	},
	{
		Shop: Shop{ID: "dy-beauty", Name: "美妆馆 Glow Lab", Platform: Douyin, Lang: LangEnglish, WeightProduct: 55, WeightLogistics: 15, WeightService: 30},
		products: []demoProduct{
			{"7730001", "保湿精华 30ml", 19900}, {"7730002", "氨基酸洗面奶", 6900}, {"7730003", "防晒霜 SPF50", 12900}, {"7730004", "口红 #520", 9900},
		},
		weight: 2, drop: DimProduct, dropPerDay: 0.5, offset: 6,
	},
}

// demoBad are bad-review texts covering every aspect, so the sorting and the
// owners' routing have something real to work on.
var demoBad = []string{
	"尺码偏小，平时穿M这次L都紧", "面料起球，洗一次就不行了", "色差太大了，和图片不一样",
	"质量太差，穿了两天就开线", "包装压坏了，盒子都扁了", "物流太慢了，等了一个星期",
	"快递破损，少件，联系客服也不回复", "客服态度很差，问什么都敷衍", "描述不符，货不对板",
	"版型很奇怪，不显瘦", "做工粗糙，线头很多", "发货太慢，催了三次", "不好用，失望",
	"物流很快但是质量差", "手感很硬，扎人",
}

var demoNeutral = []string{"还行吧，一般般", "中规中矩，价格还可以", "和预期差不多"}

var demoGood = []string{
	"质量很好，很满意", "物流很快，包装完好", "颜色很正，和图片一样", "客服很耐心，推荐",
	"第二次回购了，一如既往的好", "尺码标准，上身效果不错", "性价比高，好评", "送人很体面，朋友很喜欢",
}

// Demo fills an empty database with a realistic demo: shops on both
// platforms (one Douyin shop in the growth stage), 90 days of scores with a
// visible drop, Chinese reviews about 5% bad across all aspects, and orders
// of every promise type with a few late and at risk.
//
// It is built relative to the start of today in the demo's zone, never to
// the hour: the same seed and sizes give the same rows, with the same order
// and review IDs, whenever on whichever day it runs, so the README's
// walkthrough (`assign R… to @alice`) names the same review on every fresh
// clone. A database that already holds shops is refused (ECONFLICT): the
// demo's rows would overwrite a team's reviews under the same IDs, follow-up
// history and all.
func (db *DB) Demo(ctx context.Context, opt DemoOptions, now time.Time) (*DemoResult, error) {
	if opt.Shops < len(demoBaseShops) {
		opt.Shops = len(demoBaseShops)
	}
	if opt.TZ == "" {
		opt.TZ = DefaultDemo.TZ
	}
	var held int64
	if err := db.gdb.WithContext(ctx).Model(&Shop{}).Count(&held).Error; err != nil {
		return nil, err
	}
	if held > 0 {
		return nil, Errorf(ECONFLICT, "the database already holds %d shops; the demo loads only into an empty database (DSRBOT_DB=demo.db dsrbot demo)", held)
	}
	loc, err := loadLocation(opt.TZ)
	if err != nil {
		return nil, Errorf(EINVALID, "unknown time zone %q", opt.TZ)
	}
	y, m, d := now.In(loc).Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, loc)
	rng := rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x5eed))
	shops := demoShops(opt.Shops, opt.TZ)

	res := &DemoResult{}
	for i := range shops {
		s := &shops[i]
		if _, err := db.CreateShop(ctx, s.Shop, opt.TZ, now); err != nil {
			return nil, err
		}
		res.Shops++
		s.Shop = s.Shop.withDefaults(opt.TZ)
	}

	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	scores := newBatcher(ctx, db.d, tx, &scoresTable)
	reviews := newBatcher(ctx, db.d, tx, &reviewsTable)
	orders := newBatcher(ctx, db.d, tx, &ordersTable)
	defer scores.close()
	defer reviews.close()
	defer orders.close()

	var totalWeight float64
	for _, s := range shops {
		totalWeight += s.weight
	}
	reviewSeq := 1000
	for si := range shops {
		s := &shops[si]
		for _, sc := range demoScores(rng, s, day) {
			if err := scores.add(scoreValues(&sc)...); err != nil {
				return nil, err
			}
		}
		n := int(float64(opt.Orders) * s.weight / totalWeight)
		if s.growth {
			n = 50 // about 17 in the last 30 days: below the formal stage
		}
		for i := 0; i < n; i++ {
			o, rv := demoOrder(rng, s, si, i, n, day, loc)
			demoStory(s, i, &o, rv, day, reviewSeq+1-1000)
			if err := orders.add(orderValues(&o)...); err != nil {
				return nil, err
			}
			if rv != nil {
				reviewSeq++
				rv.ReviewID = fmt.Sprintf("R%d", reviewSeq)
				if err := reviews.add(reviewValues(rv)...); err != nil {
					return nil, err
				}
			}
		}
	}
	for si := range shops {
		for _, rv := range demoRatingHistory(&shops[si], opt.Seed, si, day) {
			reviewSeq++
			rv.ReviewID = fmt.Sprintf("R%d", reviewSeq)
			if err := reviews.add(reviewValues(&rv)...); err != nil {
				return nil, err
			}
		}
	}
	for _, b := range []*batcher{scores, reviews, orders} {
		if err := b.close(); err != nil {
			return nil, err
		}
	}
	if _, err := tx.ExecContext(ctx, db.d.rebind(demoFollowUps(db.d)), utc(day.Add(-72*time.Hour)), utc(day.AddDate(0, 0, -DemoDays))); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	res.Scores, res.Reviews, res.Orders = scores.written, reviews.written, orders.written
	return res, nil
}

// demoFollowUps gives the demo a team's history: most bad reviews older
// than three days were followed up by someone and closed with an outcome,
// a few were forgotten (the ones the digest should nag about), none of
// those before the demo's 90 days of orders (demoRatingHistory). It is
// deterministic: the choice rides on the row ID.
func demoFollowUps(d dialect) string {
	return `UPDATE reviews SET
	owner = CASE id % 3 WHEN 0 THEN 'alice' WHEN 1 THEN 'bo' ELSE 'mei' END,
	status = 'done',
	outcome = CASE id % 6 WHEN 0 THEN 'refund' WHEN 1 THEN 'resend' WHEN 2 THEN 'compensate'
		WHEN 3 THEN 'gift' WHEN 4 THEN 'explained' ELSE 'no_action' END,
	closed_at = ` + d.plusHours("created_at", "2 + id % 30") + `
	WHERE status = 'open' AND created_at < ? AND (id % 10 <> 0 OR created_at < ?)`
}

// demoShops returns the base shops and, past them, generated ones.
func demoShops(n int, tz string) []demoShop {
	shops := make([]demoShop, 0, n)
	for _, s := range demoBaseShops {
		s.TZ = tz
		shops = append(shops, s)
	}
	for i := len(shops); i < n; i++ {
		base := demoBaseShops[i%len(demoBaseShops)]
		s := base
		s.Shop = Shop{
			ID:       fmt.Sprintf("%s-%02d", base.ID, i+1),
			Name:     fmt.Sprintf("%s %d", base.Name, i+1),
			Platform: base.Platform,
			Lang:     base.Lang,
			TZ:       tz,
		}
		s.growth = false
		if s.weight == 0 {
			s.weight = 1
		}
		shops = append(shops, s)
	}
	return shops
}

// demoScores makes DemoDays of scores ending today (less the stale days):
// steady with noise, then the shop's drop dimension falls over the last five
// days, enough to take a Douyin shop across the 70 line.
func demoScores(rng *rand.Rand, s *demoShop, today time.Time) []Score {
	var out []Score
	base := map[Dimension]float64{DimProduct: 74, DimLogistics: 78, DimService: 72}
	if s.Platform == Taobao {
		base = map[Dimension]float64{DimProduct: 4.82, DimLogistics: 4.78, DimService: 4.85}
	}
	for d := DemoDays - 1; d >= s.staleDays; d-- {
		day := today.AddDate(0, 0, -d)
		vals := map[Dimension]float64{}
		for _, dim := range Dimensions {
			v := base[dim]
			if s.Platform == Taobao {
				v += (rng.Float64() - 0.5) * 0.02
				if dim == s.drop && d < 5 {
					v -= s.dropPerDay * float64(5-d)
				}
				vals[dim] = math.Round(v*100) / 100
				continue
			}
			v += s.offset + math.Sin(float64(d)/9)*1.5 + (rng.Float64()-0.5)*0.8
			if dim == s.drop && d < 5 {
				v -= s.dropPerDay * float64(5-d)
			}
			vals[dim] = math.Round(math.Min(100, math.Max(50, v))*100) / 100
		}
		sc := Score{ShopID: s.ID, Date: day.Format(DateLayout)}
		switch {
		case s.Platform == Taobao:
			for _, dim := range Dimensions {
				sc.Set(dim, vals[dim])
			}
		case s.growth:
			// The platform publishes a flat score and no dimensions.
			o := GrowthStageScore
			sc.Stage, sc.Overall = StageGrowth, &o
		default:
			for _, dim := range Dimensions {
				sc.Set(dim, vals[dim])
			}
			o := (vals[DimProduct]*float64(s.WeightProduct) + vals[DimLogistics]*float64(s.WeightLogistics) + vals[DimService]*float64(s.WeightService)) / 100
			o = math.Round(o*100) / 100
			sc.Stage, sc.Overall = StageFormal, &o
		}
		out = append(out, sc)
	}
	return out
}

// demoPromises is the mix of promise types, 48h the most common.
var demoPromises = []Promise{Promise48h, Promise48h, Promise48h, Promise48h, PromiseSameDay, PromiseSameDay, PromiseNextDay, PromiseNextDay, PromiseCustom, PromisePresale}

// demoOrder makes the i-th of n orders of a shop, paid evenly over DemoDays
// up to now (the start of the demo's day), and maybe its review.
func demoOrder(rng *rand.Rand, s *demoShop, si, i, n int, now time.Time, loc *time.Location) (Order, *Review) {
	span := time.Duration(DemoDays) * 24 * time.Hour
	// Spread payments over the period, then pull each to a daytime hour.
	paid := now.Add(-span + time.Duration(float64(span)*(float64(i)+rng.Float64())/float64(n)))
	local := paid.In(loc)
	if h := local.Hour(); h < 8 {
		paid = paid.Add(time.Duration(8+rng.IntN(4)) * time.Hour)
	}
	if paid.After(now) {
		paid = now.Add(-time.Duration(1+rng.IntN(50)) * time.Minute)
	}
	paid = paid.Truncate(time.Second)
	p := s.products[rng.IntN(len(s.products))]
	o := Order{
		ShopID:    s.ID,
		OrderID:   fmt.Sprintf("%d%02d%07d", 69+si%30, si, i),
		Product:   p.name,
		AmountFen: p.price * int64(1+rng.IntN(2)),
		PaidAt:    paid,
		Promise:   demoPromises[rng.IntN(len(demoPromises))],
	}
	var given time.Time
	switch o.Promise {
	case PromiseCustom:
		given = paid.Add(time.Duration(24+rng.IntN(48)) * time.Hour)
	case PromisePresale:
		given = paid.AddDate(0, 0, 2+rng.IntN(14))
	}
	o.ShipBy = ShipBy(o.Promise, paid, loc, given)
	// Most orders ship well inside the promise; some ship late, more of
	// them in the shop whose logistics score is falling.
	lateRate := 0.02
	if s.drop == DimLogistics && now.Sub(paid) < 6*24*time.Hour {
		lateRate = 0.06
	}
	window := o.ShipBy.Sub(paid)
	shipped := paid.Add(time.Hour + time.Duration(rng.Float64()*0.8*float64(window)))
	if rng.Float64() < lateRate {
		shipped = o.ShipBy.Add(time.Duration(1+rng.IntN(40)) * time.Hour)
	}
	if !shipped.After(now) {
		shipped = shipped.Truncate(time.Second)
		o.ShippedAt = &shipped
		o.TrackingNo = fmt.Sprintf("SF%012d", rng.Int64N(1e12))
	}
	if o.ShippedAt == nil || rng.Float64() > 0.3 {
		return o, nil
	}
	created := o.ShippedAt.Add(time.Duration(36+rng.IntN(120)) * time.Hour)
	if created.After(now) {
		return o, nil
	}
	rv := &Review{ShopID: s.ID, OrderID: o.OrderID, ProductID: p.id, Product: p.name, CreatedAt: created.Truncate(time.Second)}
	demoRate(rng, rv, 0.05, 0.05)
	return o, rv
}

// demoRate gives a demo review its stars and words: bad (1-2★, one of
// demoBad, sorted into aspects) with probability bad, neutral (3★) with
// probability neutral, else good (4-5★). The draws are the same whatever
// the shares, so the demo's random stream does not depend on them.
func demoRate(rng *rand.Rand, rv *Review, bad, neutral float64) {
	switch r := rng.Float64(); {
	case r < bad:
		rv.Rating = 1 + rng.IntN(2)
		rv.Content = demoBad[rng.IntN(len(demoBad))]
		rv.Aspects = joinAspects(Classify(rv.Content))
	case r < bad+neutral:
		rv.Rating = 3
		rv.Content = demoNeutral[rng.IntN(len(demoNeutral))]
	default:
		rv.Rating = 4 + rng.IntN(2)
		rv.Content = demoGood[rng.IntN(len(demoGood))]
	}
}

// The products of the demo's /dsr products story, both of dy-fashion: a
// dress whose buyers complain of its size, and a coat whose presales ship
// late.
const (
	demoSizeProduct    = "连衣裙 L 黑色"
	demoPresaleProduct = "羊毛大衣 驼色"
)

// demoSizeBad are the dress's size complaints.
var demoSizeBad = []string{
	"尺码偏小，平时穿M这次L都紧", "尺码不准，按尺码表买的还是小", "码数偏小，建议拍大一码",
	"尺码表不准，肩宽太窄", "尺码太小了，穿不上，退了", "尺码偏大，腰围大了一圈",
}

// demoStory gives the base dy-fashion shop a product that clearly drags
// its score, so /dsr products has an answer on first run: a third of
// the dress's good reviews of the last 4 to 27 days become size
// complaints (old enough for the team to have followed most up, young
// enough to stay in the 30-day window for days), and the
// coat's presales of the last 30 days without a review ship 6 to 65
// hours late.
//
// It draws nothing from the demo's random stream and decides on values
// the order already has (its index, product, promise, times): every
// later row, and every ID (the README's R3538), stays as it was. The
// presale is moved only when it was shipped and stays shipped before now,
// and only without a review, whose time rides on the shipment. A review
// is turned only when demoFollowUps will close it (its row ID, rowID: the
// demo's reviews are numbered from 1 as written, R1001 first), so the
// open follow-ups every card and list shows stay the same.
func demoStory(s *demoShop, i int, o *Order, rv *Review, now time.Time, rowID int) {
	if s.ID != "dy-fashion" {
		return
	}
	day := 24 * time.Hour
	switch {
	case o.Product == demoSizeProduct && rv != nil && rv.Rating >= 4 && i%3 == 0 && rowID%10 != 0:
		if age := now.Sub(rv.CreatedAt); age > 4*day && age < 27*day {
			rv.Rating = 1 + i/3%2
			rv.Content = demoSizeBad[i/3%len(demoSizeBad)]
			rv.Aspects = joinAspects(Classify(rv.Content))
		}
	case o.Product == demoPresaleProduct && o.Promise == PromisePresale && rv == nil && o.ShippedAt != nil && now.Sub(o.PaidAt) < 30*day:
		late := o.ShipBy.Add(time.Duration(6+i%60) * time.Hour).Truncate(time.Second)
		if !late.After(now) {
			o.ShippedAt = &late
		}
	}
}

// demoRatingHistoryDays is how far back a Taobao shop's ratings reach in
// the demo: past the DSR's 180-day window, so /dsr recover can count the
// 5★ ratings a DSR needs (with fewer days it rightly declines to).
const demoRatingHistoryDays = 185

// demoRatingHistory is a Taobao shop's ratings from before the demo's 90
// days of orders back to demoRatingHistoryDays: the reviews of orders the
// demo does not hold, as a shop that imported its review history has them.
// They come from a random stream of their own, after every other row, so
// the rest of the demo (and every ID in it) is the same with or without
// them; their bad reviews were followed up long ago (demoFollowUps).
func demoRatingHistory(s *demoShop, seed uint64, si int, today time.Time) []Review {
	if s.Platform != Taobao {
		return nil
	}
	rng := rand.New(rand.NewPCG(seed^0x7ea, uint64(si)))
	var out []Review
	for d := demoRatingHistoryDays; d > DemoDays; d-- {
		day := today.AddDate(0, 0, -d)
		for k, n := 0, 10+rng.IntN(8); k < n; k++ {
			p := s.products[rng.IntN(len(s.products))]
			rv := Review{
				ShopID: s.ID, OrderID: fmt.Sprintf("H%02d%03d%02d", si, d, k), ProductID: p.id, Product: p.name,
				CreatedAt: day.Add(time.Duration(8*3600+rng.IntN(14*3600)) * time.Second),
			}
			demoRate(rng, &rv, 0.04, 0.05)
			out = append(out, rv)
		}
	}
	return out
}

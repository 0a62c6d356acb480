package storage

import (
	"context"
	"strings"
	"unicode"
)

// Aspect is what a bad review complains about. The team routes each aspect to
// a different person (sizes to the buyer, logistics to the warehouse), so
// sorting is the first step of a follow-up.
type Aspect string

// The aspects, in display order. AspectOther is a review that names none.
const (
	AspectSize        Aspect = "size"
	AspectMaterial    Aspect = "material"
	AspectStyle       Aspect = "style"
	AspectQuality     Aspect = "quality"
	AspectPackaging   Aspect = "packaging"
	AspectLogistics   Aspect = "logistics"
	AspectService     Aspect = "service"
	AspectDescription Aspect = "description"
	AspectOther       Aspect = "other"
)

// Aspects lists every aspect in display order.
var Aspects = []Aspect{AspectSize, AspectMaterial, AspectStyle, AspectQuality,
	AspectPackaging, AspectLogistics, AspectService, AspectDescription, AspectOther}

// aspectKeywords maps each aspect to the words that name it. Topic words
// ("物流") count only in a clause that is not praise ("物流很快" is not a
// complaint); complaint words ("破损", "偏小") count wherever they appear.
// Each match is removed from the clause before the next entry looks, so the
// order of entries decides overlaps.
var aspectKeywords = []struct {
	aspect    Aspect
	topics    []string
	complaint []string
}{
	{AspectSize, []string{"尺码", "码数", "尺寸", "size"}, []string{"偏大", "偏小", "不合身", "too small", "too big", "too large"}},
	{AspectMaterial, []string{"材质", "面料", "手感", "布料", "material", "fabric"}, []string{"起球", "掉毛", "起皱", "扎人"}},
	{AspectStyle, []string{"款式", "版型", "颜色", "style", "colour", "color"}, []string{"色差", "不上身", "显胖"}},
	{AspectPackaging, []string{"包装", "packaging", "package"}, []string{"压坏", "压扁", "漏了", "crushed"}},
	{AspectLogistics, []string{"物流", "快递", "发货", "配送", "shipping", "delivery", "courier"}, []string{"破损", "晚到", "少件", "漏发", "错发", "太慢", "很慢", "arrived late", "missing item"}},
	{AspectService, []string{"客服", "态度", "售后", "service", "seller"}, []string{"不回复", "不理人", "敷衍", "rude", "no reply"}},
	{AspectDescription, []string{"描述"}, []string{"描述不符", "与图片不符", "和图片不一样", "货不对板", "假货", "not as described", "fake"}},
	// Quality comes last: its complaint words are the most generic ("坏了"),
	// so a more specific match ("压坏了" is packaging) must take the words first.
	{AspectQuality, []string{"质量", "做工", "quality"}, []string{"开线", "坏了", "断了", "掉色", "有瑕疵", "线头", "broken", "defect"}},
}

// praise words mark a clause as a compliment; they are removed before looking
// for negative words so that "不错" does not read as "不".
var praise = []string{"很快", "挺快", "超快", "神速", "不错", "很好", "挺好", "满意", "喜欢", "好评", "给力", "fast", "good", "great", "nice", "quick"}

// negative words mark a clause as a complaint.
var negative = []string{"差", "不", "没", "慢", "坏", "破", "烂", "垃圾", "失望", "一般", "问题", "bad", "poor", "slow", "late", "not", "never", "terrible"}

// contrast words end a clause: "物流很快但是质量差" is two clauses.
var contrast = []string{"但是", "可是", "不过", "就是", "但", "however", " but "}

// Keyword is a shop's own word for an aspect ("起毛" for material in a
// knitwear shop). A shop's keywords count as complaints, ahead of the
// built-in table.
type Keyword struct {
	ShopID string
	Word   string
	Aspect string
}

// TableName names the table of shop keywords.
func (Keyword) TableName() string { return "aspect_keywords" }

// Classify sorts a review's text into aspects, in display order. A review can
// have several; one that names none is AspectOther.
func Classify(text string) []Aspect { return ClassifyWith(text, nil) }

// ClassifyWith is Classify with a shop's own keywords.
func ClassifyWith(text string, extra []Keyword) []Aspect {
	found := make(map[Aspect]bool)
	for _, clause := range clauses(strings.ToLower(text)) {
		rest := clause
		for _, k := range extra {
			if w := strings.ToLower(k.Word); w != "" && strings.Contains(rest, w) {
				found[Aspect(k.Aspect)] = true
				rest = strings.ReplaceAll(rest, w, " ")
			}
		}
		var topics []Aspect
		for _, k := range aspectKeywords {
			for _, w := range k.complaint {
				if strings.Contains(rest, w) {
					found[k.aspect] = true
					rest = strings.ReplaceAll(rest, w, " ")
				}
			}
			for _, w := range k.topics {
				if strings.Contains(rest, w) {
					topics = append(topics, k.aspect)
					rest = strings.ReplaceAll(rest, w, " ")
				}
			}
		}
		if len(topics) == 0 {
			continue
		}
		praised := false
		for _, w := range praise {
			if strings.Contains(rest, w) {
				praised = true
				rest = strings.ReplaceAll(rest, w, " ")
			}
		}
		complained := false
		for _, w := range negative {
			if strings.Contains(rest, w) {
				complained = true
				break
			}
		}
		if praised && !complained {
			continue
		}
		for _, a := range topics {
			found[a] = true
		}
	}
	var out []Aspect
	for _, a := range Aspects {
		if found[a] {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		out = []Aspect{AspectOther}
	}
	return out
}

// clauses splits text at punctuation and at contrast words.
func clauses(text string) []string {
	for _, w := range contrast {
		text = strings.ReplaceAll(text, w, "|")
	}
	return strings.FieldsFunc(text, func(r rune) bool {
		return r == '|' || (unicode.IsPunct(r) && r != '\'') || r == '\n'
	})
}

// joinAspects is how aspects are stored: comma-separated, display order.
func joinAspects(as []Aspect) string {
	parts := make([]string, len(as))
	for i, a := range as {
		parts[i] = string(a)
	}
	return strings.Join(parts, ",")
}

// AddKeyword extends a shop's aspect keywords.
func (db *DB) AddKeyword(ctx context.Context, shopID, aspect, word string) error {
	if _, err := db.FindShop(ctx, shopID); err != nil {
		return err
	}
	if !validAspect(aspect) || aspect == string(AspectOther) {
		return Errorf(EINVALID, "%q is not an aspect: use one of size, material, style, quality, packaging, logistics, service, description", aspect)
	}
	if strings.TrimSpace(word) == "" {
		return Errorf(EINVALID, "a keyword cannot be empty")
	}
	return db.gdb.WithContext(ctx).Exec(`INSERT INTO aspect_keywords (shop_id, word, aspect) VALUES (?, ?, ?)
		ON CONFLICT (shop_id, word) DO UPDATE SET aspect = excluded.aspect`, shopID, strings.TrimSpace(word), aspect).Error
}

// keywordsByShop loads every shop's own keywords.
func (db *DB) keywordsByShop(ctx context.Context) (map[string][]Keyword, error) {
	var rows []Keyword
	if err := db.gdb.WithContext(ctx).Order("shop_id, length(word) DESC").Find(&rows).Error; err != nil {
		return nil, err
	}
	m := map[string][]Keyword{}
	for _, k := range rows {
		m[k.ShopID] = append(m[k.ShopID], k)
	}
	return m, nil
}

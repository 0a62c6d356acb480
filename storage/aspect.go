package storage

import (
	"context"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
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

// aspectNames are the words a person types for an aspect, in either
// language: the CLI's `keyword` and the chat's `owner` read the same ones, so
// `物流` works wherever `logistics` does.
var aspectNames = map[string]Aspect{
	"size": AspectSize, "尺码": AspectSize, "尺寸": AspectSize, "码数": AspectSize,
	"material": AspectMaterial, "材质": AspectMaterial, "面料": AspectMaterial,
	"style": AspectStyle, "款式": AspectStyle, "版型": AspectStyle, "颜色": AspectStyle, "色差": AspectStyle,
	"quality": AspectQuality, "质量": AspectQuality,
	"packaging": AspectPackaging, "包装": AspectPackaging,
	"logistics": AspectLogistics, "物流": AspectLogistics, "快递": AspectLogistics, "发货": AspectLogistics,
	"service": AspectService, "客服": AspectService, "服务": AspectService, "售后": AspectService,
	"description": AspectDescription, "描述": AspectDescription, "描述不符": AspectDescription,
	"other": AspectOther, "其他": AspectOther, "其它": AspectOther,
}

// ParseAspect reads an aspect as a person names it, in English or Chinese
// ("logistics", "物流", "Logistics"); ok is false for anything else.
func ParseAspect(s string) (Aspect, bool) {
	a, ok := aspectNames[strings.ToLower(strings.TrimSpace(s))]
	return a, ok
}

// AspectWords lists every name ParseAspect reads, in English and Chinese,
// so a grammar can tell an aspect word where people type no spaces.
func AspectWords() []string {
	words := make([]string, 0, len(aspectNames))
	for w := range aspectNames {
		words = append(words, w)
	}
	sort.Strings(words)
	return words
}

// How a review is sorted. The text is cut into words from the lexicon below
// (longest match first, left to right), and each word plays one part:
//
//   - a complaint names its aspect on its own ("偏小" is size, "发错" is
//     logistics), unless a negation stands right before it ("没有色差");
//   - a damage word ("破了", "碎了", "漏了") belongs to the nearest subject
//     before it in the clause ("盒子破了" is packaging, "快递破损" logistics),
//     else to its own default aspect;
//   - a topic ("物流", "客服") counts only if the next judging word in its
//     clause is negative ("物流太慢") and not praise ("物流很快") or another
//     aspect's complaint ("颜色发错了" is logistics, not style); with nothing
//     after it, a negative word before it counts ("辣鸡客服"), and a clause
//     with no judging word lends its topic to the next clause;
//   - a claim ("说是", "主播说", "描述") is description if a negative word,
//     a complaint or a reversal follows it anywhere later ("说是真丝，结果是
//     化纤");
//   - a picture ("图片", "实物", "直播间": what the buyer was shown) is
//     description, unless the review names the look, then it is style
//     ("颜色和图片不一样");
//   - weak evidence ("等了" logistics, "平时穿" size, a "V不C" phrase such as
//     "盖不严" quality) counts only when nothing else is named;
//   - a review that names nothing but still describes something the lexicon
//     does not know ("牛奶有好几盒鼓起来了") is quality: most such reviews are
//     about the goods. One that only gives a verdict or the price ("垃圾",
//     "刚买就降价") stays other.
//
// The aspects come out in the order the buyer names them: the first is the
// top aspect, the one the review is routed by. The lexicon was grown on
// testdata/aspects.tsv and measured on lines written after each freeze
// (TestAspectSet and the README give the figures): on new wording it gets
// the top aspect right about four times in five, so shops add their own
// words with `dsrbot keyword`.
type wordKind uint8

const (
	kNone      wordKind = iota // a word that only stops shorter matches ("显示", "赶紧")
	kComplaint                 // names its aspect on its own
	kDamage                    // belongs to the subject before it, else its aspect
	kTopic                     // names its aspect only when judged negatively
	kPicture                   // description, or style when the review names the look
	kClaim                     // description when contradicted later
	kNegative                  // judges a topic negatively ("差", "太慢")
	kNegator                   // "不", "没": negative, and cancels a complaint right after it
	kPraise                    // judges a topic positively ("很快", "不错")
	kReversal                  // contradicts a claim ("结果", "其实")
	kBreak                     // ends a clause ("但是", "可惜")
	kWeak                      // its aspect, only if the review names none otherwise ("等了")
	kVerdict                   // negative, about the purchase ("垃圾", "太贵"): keeps an unknown review other
)

// lexicon is every word the classifier knows. Words are lower case; each
// appears once (TestLexiconUnique). Chinese words match anywhere; words made
// of ASCII letters match whole words only.
var lexicon = []struct {
	kind   wordKind
	aspect Aspect
	words  string
}{
	{kTopic, AspectSize, "尺码 码数 尺寸 尺吗 码子 鞋码 尺码表 圈口 腰围 罩杯 长度 码偏 size fit"},
	{kComplaint, AspectSize, "偏大 偏小 太大 太小 大了 小了 偏码 太长 太短 短了 太紧 紧 太肥 太宽 太窄 挤脚 顶脚 不合脚 不合身 " +
		"穿不下 穿不上 戴不进 戴不上 套不上 装不上 塞不进 放不进 放不下 对不上 大一码 小一码 半码 大码 小码 拍大 空一截 勒 " +
		"磨后跟 磨脚后跟 夹脚 压脚 卡脚 掉跟 卡脖子 太瘦 太松 偏紧 偏松 瘦了 肥了 宽了 窄了 长度不够 不够长 短一截 长一截 " +
		"大一圈 小一圈 大一号 小一号 拍小 勒脚 勒腿 勒肉 卡裆 露脚踝 露肚脐 " +
		"too_small too_big too_large too_tight too_loose runs_small run_small runs_big run_big doesn't_fit does_not_fit"},

	{kTopic, AspectMaterial, "材质 面料 手感 布料 料子 质地 材料 material fabric"},
	{kComplaint, AspectMaterial, "起球 掉毛 掉渣 扎人 扎 很薄 太薄 薄 透 太透 硬邦邦 太硬 很硬 好硬 不透气 闷脚 塑料感 磨皮肤 不保暖 " +
		"不暖 化纤 聚酯 涤纶 pu 人造革 起皱 刺刺 刺挠 刺人 毛糙 勾丝 静电 不吸汗 闷热 捂脚 硌脚 起毛 掉絮 发硬 不柔软 不亲肤 " +
		"不吸水 吸灰 粘毛 易皱 塑料 化纤感 pilled pilling see-through thin thinner scratchy"},

	{kTopic, AspectStyle, "款式 版型 颜色 花色 色号 上身 腰线 试色 样式 图案 花纹 设计 style colour color design"},
	{kComplaint, AspectStyle, "色差 显胖 显矮 显黑 显老 显脸大 显得 显腿短 丑 难看 不好看 很土 好土 太土 土气 老气 太暗 偏暗 偏黄 偏蓝 偏色 不上身 太垮 没型 臃肿 显壮 俗气 幼稚 不修身 显腿粗 不显瘦 发灰 灰蒙蒙 暗沉 有点土 太艳 好艳 艳 ugly washed_out"},

	{kTopic, AspectQuality, "质量 做工 品质 工艺 味道 效果 香味 留香 吸力 音质 音效 声音 口感 续航 quality workmanship"},
	{kComplaint, AspectQuality, "开线 开胶 脱胶 线头 掉色 褪色 染色 缩水 断了 断 瑕疵 污渍 渍 划痕 磨损 裂缝 破洞 洞 歪 毛刺 生锈 锈 " +
		"失灵 不灵 不亮 没反应 没声音 充不进 断连 发烫 漏水 漏尿 跳闸 异味 一股 有股 有味道 胶味 胶水味 甲醛 塑料味 霉味 臭 刺鼻 " +
		"哈喇 酒精味 怪味 过敏 烂脸 痘 闭口 红疹 发炎 痒 红屁屁 脱皮 紧绷 拉肚子 变质 过期 临期 发霉 不新鲜 虫 胀包 难吃 太咸 " +
		"不好吃 碎末 二手 旧的 用过 穿过 没效果 智商税 粘锅 涂层 粘不住 扣不上 按不出 刷不开 剪不动 钝 不平 晃 塌 折了 " +
		"翘起 刮手 不保温 掉了 掉头发 掉扣 " +
		// electronics and home goods
		"不开机 开不了机 充不满 掉电 耗电 接触不良 信号差 不识别 死机 黑屏 闪屏 花屏 不充电 充不上 连不上 不工作 不转 不制冷 不加热 烫手 漏电 杂音 异响 噪音 电流声 卡顿 堵 " +
		"掉漆 起皮 鼓包 松松垮垮 松动 不结实 不耐用 不好用 难用 用不了 不能用 拧不紧 推不动 发黄 变黄 发黑 变色 受潮 " +
		// food
		"馊 酸了 太酸 发酸 太甜 不甜 不脆 回潮 腥 膻 苦 涩 没味 变味 串味 有沙 沙子 异物 头发 苍蝇 虫眼 干瘪 长毛 坏果 烂果 " +
		"咬不动 不好喝 难喝 冲不开 " +
		// beauty and baby goods
		"疹 刺痛 泛红 发红 红肿 爆痘 辣眼 蜕皮 结块 晕妆 脱妆 卡粉 浮粉 搓泥 拔干 假白 很干 太干 油腻 黏腻 不吸收 不持久 不显色 " +
		"起坨 红屁股 侧漏 " +
		// any goods
		"劣质 粗制滥造 偷工减料 缺口 缺陷 磨薄 磨平 磨破 不耐穿 红了 结成团 不管用 无效 鸡肋 就废了 报废 黑点 斑点 霉点 刮花 磕碰 磕痕 毛边 溢胶 残胶 走线 跳线 脱线 开缝 " +
		"抽丝 掉底 渗水 进水 不防水 漏油 漏墨 不出水 不稳 摇晃 缝隙 合不上 关不上 打不开 " +
		"defect defective came_apart peeling stopped_working doesn't_work not_working snapped " +
		"leak leaks leaking stale expired smell smells rash broke_me_out itchy mould mouldy moldy broke stopped noisy"},
	{kDamage, AspectQuality, "坏 坏了 坏的 破 破了 破的 烂 烂了 脏 裂 变形 开口 不严 broken"},

	{kTopic, AspectPackaging, "包装 外包装 内包装 包装盒 包装袋 盒子 纸盒 礼盒 鞋盒 箱子 纸箱 外箱 袋子 封口 密封 封条 packaging package box"},
	{kComplaint, AspectPackaging, "简陋 随意 随便 塑料袋 快递袋 泡沫 气泡膜 冰袋 拆过 封口是开的 裸装 没包装 被拆封 拆封过 被打开过 没防护"},
	{kDamage, AspectPackaging, "漏了 漏液 漏气 洒了 撒了 瘪了 crushed"},

	{kTopic, AspectLogistics, "物流 快递 发货 配送 到货 送货 派送 揽收 签收 驿站 快递柜 快递员 快递小哥 快递员态度 冷链 运输 " +
		"包裹 快递说 物流信息 赠品 现货 顺丰 中通 圆通 韵达 申通 极兔 邮政 京东快递 送货师傅 " +
		"shipping delivery courier tracking shipment"},
	{kComplaint, AspectLogistics, "晚到 才到 才发 还没发 没发货 不发货 还没到 没到货 没收到 收不到 丢件 丢了 少发 漏发 少件 缺件 " +
		"少了 少一 空盒 发错 错发 寄错 送错 别人的货 暴力 不送上门 不通知 淋湿 延误 延迟 没更新 不更新 在途中 化了 还在揽收 " +
		"发没发 送到了别 只到了 只来了 只收到 缺了 缺少 缺个 缺一 缺货 断货 催发货 被人拿 拿走了 发的 发来的是 我要的 " +
		"和我下单的 跟我下单的 一双左脚 两只左脚 一双右脚 两只右脚 只发了 缺零件 少零件 缺 发少了 少寄 漏寄 发成 迟迟不发 发货晚 假发货 虚假发货 不动了 停滞 被退回 丢失 遗失 没人送 " +
		"送不到 不派送 没派送 超时 arrived_late never_arrived never_received never_came missing_item missing lost wrong_item " +
		"arrived_broken arrived_damaged not_delivered soaking_wet"},
	{kDamage, AspectLogistics, "破损 碎 碎了 稀碎 压碎 摔碎 压坏 压扁 压烂 摔坏 磕破 磕坏 凹 shattered damaged"},

	{kTopic, AspectService, "客服 kf 态度 售后 商家 卖家 店家 老板 退货 退款 换货 运费险 价保 理赔 补发 投诉 客服说 回复 发票 " +
		"seller service support refund"},
	{kComplaint, AspectService, "不回复 不回 没回 回复太慢 回复慢 回复很慢 不理人 不理 没人理 爱答不理 已读不回 敷衍 机器人 " +
		"踢皮球 不处理 拒绝 被拒 不给退 不给换 不退 不给理赔 拖着 拖了 没下文 改好评 一问三不知 打不通 推脱 甩锅 正常现象 " +
		"自己出运费 没退款 没补发 还没到账 没到账 装傻 没解决 不解决 解决不了 不负责 扯皮 耍赖 不认账 联系不上 找不到人 不搭理 爱理不理 不回应 " +
		"不答复 冷漠 阴阳怪气 推卸 拉黑 骚扰 催好评 改评价 删评 不给补偿 不补偿 不赔 拒赔 不让退 不让换 驳回 没人处理 " +
		"不开发票 rude no_reply never_replied never_answered won't_answer ignored no_response nobody_answered nobody_replied"},

	{kTopic, AspectDescription, "主播 正品 原装"},
	{kClaim, AspectDescription, "描述 说是 主播说 直播间说 宣传 详情页 标题 演示 标的是 号称 宣称 声称 description"},
	{kPicture, AspectDescription, "图片 图上 照片 实物 视频 直播间 picture pictures photo photos"},
	{kComplaint, AspectDescription, "描述不符 不符 货不对板 假货 假的 高仿 仿品 山寨 不是正品 虚假 虚标 骗人 忽悠 精修 p的 p图 " +
		"买家秀 卖家秀 防伪 查不到 老款 哪是 哪里是 夸大 不实 以次充好 三无 杂牌 翻新 不是原装 与实物不符 名不副实 货不对版 盗版 仿冒 " +
		"a货 水货 非正品 吹得 夸张 缺斤少两 分量不足 分量不够 重量不够 规格不符 " +
		"not_as_described fake counterfeit knock-off knockoff misleading"},

	{kNegative, "", "差 太差 很差 好差 极差 超差 真差 差劲 不好 不太好 不行 不太行 不怎么样 一般 拉胯 太拉 慢 太慢 很慢 " +
		"好慢 超慢 慢死 问题 有问题 不满意 恶劣 无语 坑 坑人 一言难尽 糟糕 差距 差远 差太多 离谱 粗糙 廉价 奇怪 什么破 " +
		"不靠谱 骂人 很小 不准 不对 不一样 不像 不是 不管 拖拉 扔 费劲 少得可怜 不咋地 不咋样 不怎么好 差点意思 太次 很次 糙 磨叽 磨蹭 挤牙膏 折腾 bad poor slow late terrible awful cheap different nothing_like off " +
		"worst horrible disappointed disappointing wrong rough took"},
	{kNegator, "", "不 没 没有 无 未 别 not no never won't doesn't didn't isn't wasn't"},
	{kPraise, "", "很快 挺快 超快 神速 飞快 快的 不错 很好 挺好 好 满意 喜欢 好评 给力 好看 漂亮 舒服 耐心 用心 新鲜 还行 还可以 " +
		"可以 挺正 很正 没问题 放心 热情 及时 贴心 透气 杠杠的 fast good great nice quick love perfect"},
	// Weak evidence: counts only when the review names no aspect otherwise.
	{kWeak, AspectLogistics, "等了 要等 催了 催"},
	{kWeak, AspectSize, "平时穿 脚趾 脚背 身高 体重"},
	{kReversal, "", "结果 其实 实际 明显 一看就是 根本 才 并不 到手 收到是 到手是 实测 只有"},
	{kBreak, "", "但是 可是 不过 但 可惜 然而 however but and"},
	{kNone, "", "显示 赶紧 抓紧 紧急 好评返现 湿透 断顿 还没到保质期 还没用 还没穿 干净 缺点"},
	// A verdict or the price: negative, and about the purchase rather than
	// the goods, so an unknown description beside it stays other.
	{kVerdict, "", "垃圾 辣鸡 失望 价格 价钱 太贵 贵了 降价 不值 性价比 亏了 后悔 踩雷 别买 不推荐 差评 一般般 不喜欢 " +
		"体会 退了 扔了 worth overpriced"},
}

// lexEntry is one word of the lexicon.
type lexEntry struct {
	word   string
	kind   wordKind
	aspect Aspect
	ascii  bool // whole words only
}

// lexBuckets holds the lexicon grouped by first rune, longest word first;
// lexIndex maps a rune of the Basic Multilingual Plane to its bucket (0: no
// word starts with it). Each position of a review then costs one array read
// and a few prefix checks: sorting stays far above 100k reviews/s on a core.
var lexBuckets, lexIndex = func() ([][]lexEntry, []uint16) {
	byRune := map[rune][]lexEntry{}
	var runes []rune
	for _, g := range lexicon {
		for _, w := range strings.Fields(g.words) {
			w = strings.ReplaceAll(w, "_", " ")
			r, _ := utf8.DecodeRuneInString(w)
			if _, ok := byRune[r]; !ok {
				runes = append(runes, r)
			}
			byRune[r] = append(byRune[r], lexEntry{word: w, kind: g.kind, aspect: g.aspect, ascii: isASCIIWord(w)})
		}
	}
	buckets := [][]lexEntry{nil}
	index := make([]uint16, 0x10000)
	for _, r := range runes {
		es := byRune[r]
		sort.SliceStable(es, func(i, j int) bool { return len(es[i].word) > len(es[j].word) })
		index[r] = uint16(len(buckets))
		buckets = append(buckets, es)
	}
	return buckets, index
}()

// lexStarting returns the words that start with r, longest first.
func lexStarting(r rune) []lexEntry {
	if r >= 0x10000 || r < 0 {
		return nil
	}
	return lexBuckets[lexIndex[r]]
}

func isASCIIWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isASCIILetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' }

// token is one lexicon word found in a review, or a clause break.
type token struct {
	pos, end int32
	clause   int32
	kind     wordKind
	aspect   Aspect
	word     string
}

// Keyword is a shop's own word for an aspect ("起毛" for material in a
// knitwear shop). A shop's keywords count as complaints, ahead of the
// built-in table; a keyword for AspectOther masks a word the table would
// misread in that shop ("透明" in a shop of clear phone cases is not the
// fabric's "透").
type Keyword struct {
	ShopID string
	Word   string
	Aspect string
}

// TableName names the table of shop keywords.
func (Keyword) TableName() string { return "aspect_keywords" }

// Classify sorts a review's text into aspects, the top aspect first and the
// rest in the order the buyer names them. A review that names none is
// AspectOther.
func Classify(text string) []Aspect { return ClassifyWith(text, nil) }

// ClassifyWith is Classify with a shop's own keywords.
func ClassifyWith(text string, extra []Keyword) []Aspect {
	return classify(text, extra, nil)
}

// finding is why an aspect was found: the word, and where it stands. A weak
// finding counts only when the review has no other.
type finding struct {
	aspect Aspect
	pos    int32
	weak   bool
	word   string
}

// classify returns the aspects; with why, it also appends the words that
// decided them (the explanation the tests print for a miss). The findings
// stay on the stack unless asked for.
func classify(text string, extra []Keyword, why *[]finding) []Aspect {
	s := strings.ToLower(text)
	// Both lists live on the stack for a review of ordinary length.
	var tbuf [48]token
	var fbuf [16]finding
	toks := tokenize(s, extra, tbuf[:0])
	found := fbuf[:0]
	add := func(a Aspect, pos int32, word string) {
		found = append(found, finding{aspect: a, pos: pos, word: word})
	}
	style, strong := false, false
	for i, t := range toks {
		switch t.kind {
		case kComplaint:
			if !negated(s, toks, i) && !degree(toks, i) {
				add(t.aspect, t.pos, t.word)
			}
		case kDamage:
			if negated(s, toks, i) {
				continue
			}
			a := t.aspect
			for j := i - 1; j >= 0 && toks[j].clause == t.clause; j-- {
				if toks[j].kind == kTopic {
					a = toks[j].aspect
					break
				}
			}
			add(a, t.pos, t.word)
		case kTopic:
			if judgedBad(toks, i) {
				add(t.aspect, t.pos, t.word)
			}
		case kPicture:
			// The picture against the goods: judged in its clause, or
			// contradicted later ("图片上是加绒的，收到是单层").
			if judgedBad(toks, i) || reversedLater(toks, i, false) {
				add(t.aspect, t.pos, t.word)
			}
		case kClaim:
			if reversedLater(toks, i, true) {
				add(t.aspect, t.pos, t.word)
			}
		case kWeak:
			found = append(found, finding{aspect: t.aspect, pos: t.pos, weak: true, word: t.word})
		case kNegator:
			if w, ok := cannotComplement(s, t); ok {
				found = append(found, finding{aspect: AspectQuality, pos: t.pos, weak: true, word: w})
			}
		}
	}
	for _, f := range found {
		style = style || f.aspect == AspectStyle && !isPicture(f.word)
		strong = strong || !f.weak
	}
	// Insertion sort, stable: the findings are almost in order already.
	for i := 1; i < len(found); i++ {
		for j := i; j > 0 && found[j].pos < found[j-1].pos; j-- {
			found[j], found[j-1] = found[j-1], found[j]
		}
	}
	out := make([]Aspect, 0, 2)
	for i := range found {
		f := &found[i]
		if strong && f.weak {
			continue
		}
		// A picture compared with the goods is the look when the review
		// names the look, else the description.
		if style && f.aspect == AspectDescription && isPicture(f.word) {
			f.aspect = AspectStyle
		}
		if !containsAspect(out, f.aspect) {
			out = append(out, f.aspect)
		}
	}
	if len(out) == 0 && len(found) == 0 && unnamedComplaint(s, toks) {
		// Something is described that the lexicon does not know: most
		// such reviews are about the goods, so the goods' owner reads it.
		out = append(out, AspectQuality)
		found = append(found, finding{aspect: AspectQuality, weak: true, word: "(unnamed)"})
	}
	if len(out) == 0 {
		out = append(out, AspectOther)
	}
	if why != nil {
		*why = append(*why, found...)
	}
	return out
}

// reversedLater reports whether something later in the review contradicts
// the claim or picture at toks[i]: a reversal ("结果", "实测"), and for a
// claim also a negative word or a complaint ("说是真丝，假的").
func reversedLater(toks []token, i int, claim bool) bool {
	for _, u := range toks[i+1:] {
		switch u.kind {
		case kReversal:
			return true
		case kNegative, kVerdict, kComplaint:
			if claim {
				return true
			}
		}
	}
	return false
}

// functionChars are the characters that carry no complaint of their own:
// particles, pronouns, numbers, measure words and the plainest verbs.
const functionChars = "的了是我你他她它们这那个就也都很太还在有和跟与把被给让又再才只吧啊呢吗呀哦嘛么啦哈" +
	"一二三四五六七八九十两几半多少天月年号次件个条双块元买用穿收到东西宝贝商品家店说看感觉得地着过来去真好像"

// unnamedMin is how many other Chinese characters a review needs, outside
// the lexicon's words, to describe a complaint rather than sigh.
const unnamedMin = 4

// unnamedComplaint reports whether a review that names no aspect still
// describes something ("牛奶有好几盒鼓起来了"), rather than giving a verdict
// or the price ("垃圾，不推荐", "刚买就降价了").
func unnamedComplaint(s string, toks []token) bool {
	n, k := 0, 0
	for i := 0; i < len(s); {
		if k < len(toks) && i >= int(toks[k].pos) {
			if toks[k].kind == kVerdict {
				return false
			}
			if i < int(toks[k].end) {
				i = int(toks[k].end)
			}
			k++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r >= 0x4e00 && r <= 0x9fff && !strings.ContainsRune(functionChars, r) {
			n++
		}
		i += size
	}
	return n >= unnamedMin
}

// complements are the results a "V不C" phrase says the goods cannot reach:
// 盖不严, 推不动, 喷不出, 打不开. Such a phrase is weak evidence of quality
// (the fit phrases, 穿不下, are size words in the lexicon and match first).
const complements = "严紧动开出上进住响亮牢稳通满平合开"

// notVerbs are the characters before 不 that make it an ordinary negation
// ("都不", "我不"), not a "V不C" phrase.
const notVerbs = "都也就还我你他她它很太并又可是的了说得再更最会要能真好"

// cannotComplement reports whether the negator t is the 不 of a "V不C"
// phrase, and returns the phrase.
func cannotComplement(s string, t token) (string, bool) {
	if s[t.pos:t.end] != "不" || t.pos == 0 || int(t.end) >= len(s) {
		return "", false
	}
	v, vn := utf8.DecodeLastRuneInString(s[:t.pos])
	c, cn := utf8.DecodeRuneInString(s[t.end:])
	if v < 0x4e00 || v > 0x9fff || strings.ContainsRune(notVerbs, v) || !strings.ContainsRune(complements, c) {
		return "", false
	}
	return s[int(t.pos)-vn : int(t.end)+cn], true
}

func isPicture(word string) bool {
	r, _ := utf8.DecodeRuneInString(word)
	for _, e := range lexStarting(r) {
		if e.word == word {
			return e.kind == kPicture
		}
	}
	return false
}

func containsAspect(as []Aspect, a Aspect) bool {
	for _, x := range as {
		if x == a {
			return true
		}
	}
	return false
}

// judgedBad reports whether the topic at toks[i] is judged negatively: by
// the next judging word after it in its clause, else by a negative word
// before it in the clause. A clause with no judging word at all lends its
// topic to the next clause, unless that one turns with a contrast word
// ("这码数是按小孩子做的，XL我穿都费劲" is size; "款式跟图片一样，但是做工
// 粗糙" is not style).
func judgedBad(toks []token, i int) bool {
	t := toks[i]
	clause := t.clause
	for _, u := range toks[i+1:] {
		if u.clause != clause {
			if u.clause != clause+1 || u.kind == kBreak || judgingIn(toks, i, t.clause) {
				break
			}
			clause = u.clause
		}
		if u.clause != t.clause && (u.kind == kTopic || u.kind == kPicture) {
			break // the next clause judges its own topic ("物流杠杠的，质量稀烂")
		}
		switch u.kind {
		case kNegative, kVerdict, kNegator, kDamage:
			return true
		case kPraise:
			return false
		case kComplaint:
			return u.aspect == t.aspect
		}
	}
	for j := i - 1; j >= 0 && toks[j].clause == t.clause; j-- {
		switch toks[j].kind {
		case kNegative, kVerdict, kNegator:
			return true
		case kPraise, kComplaint, kDamage:
			return false
		}
	}
	return false
}

// judgingIn reports whether the clause of toks[i] holds any judging word.
func judgingIn(toks []token, i int, clause int32) bool {
	for j := i - 1; j >= 0 && toks[j].clause == clause; j-- {
		if judging(toks[j].kind) {
			return true
		}
	}
	for _, u := range toks[i+1:] {
		if u.clause != clause {
			break
		}
		if judging(u.kind) {
			return true
		}
	}
	return false
}

func judging(k wordKind) bool {
	return k == kNegative || k == kVerdict || k == kNegator || k == kPraise || k == kComplaint || k == kDamage
}

// degreeWords are size complaints that, right after another aspect's word,
// say how much of it there is: "色差太大" is a big colour difference, not a
// big size.
var degreeWords = map[string]bool{"太大": true, "太小": true, "大了": true, "小了": true}

func degree(toks []token, i int) bool {
	t := toks[i]
	if t.aspect != AspectSize || !degreeWords[t.word] || i == 0 {
		return false
	}
	p := toks[i-1]
	return p.clause == t.clause && p.end == t.pos && p.aspect != "" && p.aspect != AspectSize
}

// negationFill are the words that may stand between a negation and what it
// negates: "没有任何异味", "不会起球".
var negationFill = []string{"", "有", "会", "任何", "什么", "一点", "太", "怎么", "再", "出现", "发现", " "}

// negated reports whether a negation stands right before toks[i] in its
// clause: "没有色差" praises the colour, "不起球" the fabric.
func negated(s string, toks []token, i int) bool {
	if i == 0 {
		return false
	}
	p := toks[i-1]
	if p.kind != kNegator || p.clause != toks[i].clause {
		return false
	}
	gap := s[p.end:toks[i].pos]
	for _, f := range negationFill {
		if gap == f {
			return true
		}
	}
	return false
}

// tokenize finds the lexicon's words (and the shop's own, first) in s, left to
// right, longest first, and numbers the clauses between punctuation,
// emoji, line breaks and contrast words.
func tokenize(s string, extra []Keyword, toks []token) []token {
	var present []Keyword
	for _, k := range extra {
		w := strings.ToLower(strings.TrimSpace(k.Word))
		if w != "" && strings.Contains(s, w) {
			a, ok := ParseAspect(k.Aspect)
			if !ok {
				a = Aspect(k.Aspect)
			}
			present = append(present, Keyword{Word: w, Aspect: string(a)})
		}
	}
	if len(present) > 1 {
		sort.SliceStable(present, func(i, j int) bool { return len(present[i].Word) > len(present[j].Word) })
	}
	var clause int32
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if isBreak(s, i, r) {
			clause++
			i += size
			continue
		}
		matched := false
		for _, k := range present {
			if strings.HasPrefix(s[i:], k.Word) {
				kind := kComplaint
				if Aspect(k.Aspect) == AspectOther {
					kind = kNone // the shop's word for "not a complaint here"
				}
				toks = append(toks, token{pos: int32(i), end: int32(i + len(k.Word)), kind: kind, aspect: Aspect(k.Aspect), word: k.Word, clause: clause})
				i += len(k.Word)
				matched = true
				break
			}
		}
		if matched {
			continue
		}
		for _, e := range lexStarting(r) {
			if !strings.HasPrefix(s[i:], e.word) {
				continue
			}
			if e.ascii && (i > 0 && isASCIILetter(s[i-1]) || i+len(e.word) < len(s) && isASCIILetter(s[i+len(e.word)])) {
				continue
			}
			if e.kind == kBreak {
				// The break opens the next clause, so a topic left
				// unjudged before a contrast is not lent across it.
				clause++
			}
			toks = append(toks, token{pos: int32(i), end: int32(i + len(e.word)), kind: e.kind, aspect: e.aspect, word: e.word, clause: clause})
			i += len(e.word)
			matched = true
			break
		}
		if !matched {
			i += size
		}
	}
	return toks
}

// isBreak reports whether the rune at s[i] ends a clause: punctuation, emoji
// and other symbols, line breaks, and a space between Chinese words (buyers
// use spaces as commas), but not a space between English words.
func isBreak(s string, i int, r rune) bool {
	switch {
	case r == '\'' || r == '-' || r == '%' || r == '.' && i > 0 && i+1 < len(s) && isASCIILetter(s[i-1]) && isASCIILetter(s[i+1]):
		return false
	case r == ' ':
		return !(i > 0 && i+1 < len(s) && s[i-1] < utf8.RuneSelf && s[i+1] < utf8.RuneSelf)
	}
	return unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r)
}

// joinAspects is how aspects are stored: comma-separated, top aspect first.
func joinAspects(as []Aspect) string {
	parts := make([]string, len(as))
	for i, a := range as {
		parts[i] = string(a)
	}
	return strings.Join(parts, ",")
}

// AddKeyword extends a shop's aspect keywords. The aspect may be named in
// English or Chinese ("logistics" or "物流"); it is stored in English, the
// form the classifier and the routing rules use.
func (db *DB) AddKeyword(ctx context.Context, shopID, aspect, word string) error {
	if _, err := db.FindShop(ctx, shopID); err != nil {
		return err
	}
	a, ok := ParseAspect(aspect)
	if !ok {
		return Errorf(EINVALID, "%q is not an aspect: use one of size 尺码, material 材质, style 款式, quality 质量, packaging 包装, logistics 物流, service 客服, description 描述, other 其他", aspect)
	}
	if strings.TrimSpace(word) == "" {
		return Errorf(EINVALID, "a keyword cannot be empty")
	}
	return db.gdb.WithContext(ctx).Exec(`INSERT INTO aspect_keywords (shop_id, word, aspect) VALUES (?, ?, ?)
		ON CONFLICT (shop_id, word) DO UPDATE SET aspect = excluded.aspect`, shopID, strings.TrimSpace(word), string(a)).Error
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

// String reads "缩水→quality", "等了→logistics?" (weak): the explanation of
// a sorting, word by word.
func (f finding) String() string {
	weak := ""
	if f.weak {
		weak = "?"
	}
	return f.word + "→" + string(f.aspect) + weak
}

package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// clusterOf is three bad reviews of one product about one aspect within the
// cluster window.
func clusterOf(aspect storage.Aspect, texts ...string) *storage.Cluster {
	c := &storage.Cluster{Product: "连衣裙 L 黑色", Aspect: aspect, Key: "P1:" + string(aspect)}
	for i, text := range texts {
		c.Reviews = append(c.Reviews, storage.Review{ShopID: "dy-fashion", ReviewID: "R" + string(rune('1'+i)), Rating: 1,
			Product: c.Product, Content: text, Aspects: string(aspect), Status: storage.StatusOpen,
			CreatedAt: cardClock.Add(-time.Duration(i+1) * time.Hour)})
	}
	return c
}

// TestClusterAdvice: each cluster ends with its own aspect's fix, in the
// shop's language; today's one sentence ("check the listing and stock") fit
// none of a logistics or size cluster.
func TestClusterAdvice(t *testing.T) {
	logistics := clusterOf(storage.AspectLogistics, "快递太慢了", "少发了一件", "显示签收但没收到")
	size := clusterOf(storage.AspectSize, "偏小一码", "太小了穿不上", "尺码不准")
	tests := []struct {
		lang      string
		c         *storage.Cluster
		want, not string
	}{
		{"en", logistics, "Check the carrier and the warehouse for these orders today", "size chart"},
		{"zh", logistics, "请今天检查这些订单的快递和仓库", "尺码表"},
		{"en", size, "Check the size chart and the detail page's size guidance today", "carrier"},
		{"zh", size, "请今天核对尺码表和详情页的尺码建议", "快递"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+string(tt.c.Aspect), func(t *testing.T) {
			shop := cardShop(tt.lang)
			m := RenderCluster(&shop, tt.c, cardClock)
			last := m.Text[strings.LastIndex(strings.TrimRight(m.Text, "\n"), "\n")+1:]
			if !strings.Contains(last, tt.want) || strings.Contains(last, tt.not) {
				t.Errorf("the %s cluster ends with %q, want %q and not %q:\n%s", tt.c.Aspect, last, tt.want, tt.not, m.Text)
			}
			if strings.Contains(m.Text, "listing and stock") || strings.Contains(m.Text, "商品详情和库存") {
				t.Errorf("the %s cluster still has the one-size-fits-all advice:\n%s", tt.c.Aspect, m.Text)
			}
		})
	}
	shop := cardShop("zh")
	goldenMessage(t, "cluster_logistics_zh", RenderCluster(&shop, logistics, cardClock))
	shop = cardShop("en")
	goldenMessage(t, "cluster_size_en", RenderCluster(&shop, size, cardClock))
}

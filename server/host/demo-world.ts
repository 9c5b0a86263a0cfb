/**
 * The demo world the local host seeds on first start: a few hundred content items with Chinese
 * titles and tags in several categories, a few merchants and their ad campaigns. Generated from
 * a seed (xoroshiro128+ from pure-rand), so the same seed and clock give the same world.
 */
import { demoBody } from './demo-bodies';
import { unsafeUniformIntDistribution, xoroshiro128plus, type RandomGenerator } from 'pure-rand';
import type { Campaign, ContentItem, Merchant } from '../../typings';
import type { Stores } from '../ports';

export interface DemoWorld {
  seed: number;
  items: ContentItem[];
  merchants: Merchant[];
  campaigns: Campaign[];
}

export interface DemoWorldOptions {
  seed: number;
  /** The clock the world is generated against: items are published in the 30 days before it. */
  now: number;
  /** Number of content items (default 320). */
  itemCount?: number;
  /**
   * Adds the 金融理财 shelf (FINANCE_PRODUCTS and a financial merchant's campaigns, each with its
   * risk level R1–R5), drawn from a generator of its own so the rest of the world is the same
   * with or without it. `npm start` shows it; the simulator leaves it out, because its users
   * never answer the risk questionnaire, so suitability would withhold every product anyway.
   */
  finance?: boolean;
  /**
   * Adds the 旅游出行 shelf (TRAVEL_PLACES: routes, guides and hotels with their places), from a
   * generator of its own like the finance shelf; `npm start` shows it, the simulator leaves it
   * out (its users share no location).
   */
  travel?: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Seeded random helpers over one generator; every draw advances it, in call order. */
class Random {
  private readonly gen: RandomGenerator;
  constructor(seed: number) {
    this.gen = xoroshiro128plus(seed | 0);
  }
  int(min: number, max: number): number {
    return unsafeUniformIntDistribution(min, max, this.gen);
  }
  chance(p: number): boolean {
    return this.int(0, 9999) < p * 10000;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(0, xs.length - 1)];
  }
  /** k distinct elements in random order. */
  sample<T>(xs: readonly T[], k: number): T[] {
    const pool = [...xs];
    const out: T[] = [];
    while (out.length < k && pool.length > 0)
      out.push(pool.splice(this.int(0, pool.length - 1), 1)[0]);
    return out;
  }
}

interface CategorySpec {
  templates: string[];
  slots: Record<string, string[]>;
  tags: string[];
}

const SHARED_SLOTS: Record<string, string[]> = {
  city: [
    '成都',
    '重庆',
    '广州',
    '上海',
    '北京',
    '西安',
    '长沙',
    '杭州',
    '武汉',
    '厦门',
    '南京',
    '昆明',
  ],
  season: ['春天', '夏天', '秋天', '冬天', '国庆', '五一', '周末'],
  n: ['3', '5', '6', '7', '8', '10', '12'],
};

/** Title templates per category; {slot} is filled from the category's slots or the shared ones. */
export const CATEGORIES: Record<string, CategorySpec> = {
  美食: {
    templates: [
      '{city}必吃的{n}家{dish}店，本地人排队也要去',
      '在家做{dish}，{n}个步骤零失败',
      '{dish}怎么做才好吃？老师傅教你一招',
      '{city}街头{dish}测评：这家性价比最高',
      '一周{dish}挑战：第{n}天我吃腻了吗',
    ],
    slots: {
      dish: [
        '红烧肉',
        '麻婆豆腐',
        '小笼包',
        '火锅',
        '烤鸭',
        '酸菜鱼',
        '煎饼果子',
        '螺蛳粉',
        '肠粉',
        '牛肉面',
        '糖醋排骨',
        '宫保鸡丁',
      ],
    },
    tags: ['家常菜', '探店', '菜谱', '小吃', '甜品', '川菜', '粤菜', '早餐', '夜宵', '减脂餐'],
  },
  旅行: {
    templates: [
      '{place}{n}日游攻略：路线、住宿和预算一次讲清',
      '{season}去{place}，这些小众景点别错过',
      '第一次去{place}？避开这{n}个坑',
      '人均{money}元玩转{place}',
      '从{city}出发，{place}自驾{n}天全记录',
    ],
    slots: {
      place: [
        '大理',
        '丽江',
        '三亚',
        '桂林',
        '拉萨',
        '青岛',
        '张家界',
        '九寨沟',
        '敦煌',
        '苏州',
        '黄山',
        '喀什',
      ],
      money: ['500', '800', '1000', '1500', '2000', '3000'],
    },
    tags: ['自驾游', '攻略', '亲子游', '露营', '徒步', '古镇', '海岛', '民宿', '穷游', '摄影'],
  },
  科技: {
    templates: [
      '{gadget}上手体验：{n}个让我意外的细节',
      '一文看懂{topic}：从原理到应用',
      '{topic}会取代程序员吗？{n}位工程师这样说',
      '{gadget}值不值得买？用了{n}天的真实感受',
      '{topic}入门指南：{n}个核心概念',
    ],
    slots: {
      gadget: [
        '折叠屏手机',
        '降噪耳机',
        '智能手表',
        '扫地机器人',
        '新款平板',
        '机械键盘',
        '电动牙刷',
        '投影仪',
      ],
      topic: [
        '大语言模型',
        '自动驾驶',
        '量子计算',
        '芯片制造',
        '小程序开发',
        '云原生',
        '推荐算法',
        '机器人',
      ],
    },
    tags: ['数码', '评测', '人工智能', '编程', '手机', '智能家居', '互联网', '开箱'],
  },
  健康: {
    templates: [
      '每天{n}分钟{exercise}，坚持一个月的变化',
      '医生提醒：{habit}的人要注意了',
      '{symptom}怎么办？这{n}个方法亲测有效',
      '{season}养生：多吃这{n}种食物',
      '{exercise}还是{exercise}？哪个更适合上班族',
    ],
    slots: {
      exercise: ['跳绳', '慢跑', '瑜伽', '拉伸', '快走', '平板支撑', '八段锦', '游泳'],
      habit: ['熬夜', '久坐', '不吃早餐', '爱喝奶茶', '经常低头看手机'],
      symptom: ['失眠', '颈椎痛', '腰酸背痛', '消化不良', '焦虑', '眼睛干涩'],
    },
    tags: ['养生', '运动', '睡眠', '饮食', '减肥', '心理健康', '中医', '体检'],
  },
  教育: {
    templates: [
      '{grade}{subject}提分秘诀：{n}个方法',
      '孩子不爱{activity}？试试这{n}招',
      '{exam}备考经验：我用了{n}个月',
      '如何培养孩子的{skill}？',
      '{grade}家长必看：{subject}学习的{n}个误区',
    ],
    slots: {
      grade: ['小学', '初中', '高中', '大学'],
      subject: ['数学', '语文', '英语', '物理', '化学', '历史'],
      activity: ['读书', '写作业', '练琴', '背单词'],
      exam: ['高考', '考研', '四六级', '雅思', '公务员考试'],
      skill: ['阅读习惯', '专注力', '表达能力', '时间管理'],
    },
    tags: ['学习方法', '亲子教育', '考试', '留学', '英语学习', '家长必看', '考研', '读书'],
  },
  时尚: {
    templates: [
      '{season}必备的{n}件{item}，怎么搭都好看',
      '小个子穿{item}的{n}个技巧',
      '{color}{item}搭配指南',
      '通勤穿搭：一周不重样的{item}',
      '{city}街拍：今年最流行的{color}',
    ],
    slots: {
      item: ['风衣', '白衬衫', '牛仔裤', '连衣裙', '运动鞋', '针织衫', '西装外套', '半身裙'],
      color: ['奶油色', '雾霾蓝', '焦糖色', '黑白', '酒红色', '燕麦色'],
    },
    tags: ['穿搭', '美妆', '护肤', '发型', '通勤', '平价好物', '配饰'],
  },
  体育: {
    templates: [
      '{city}队{result}：{n}个关键时刻回顾',
      '{sport}入门：新手最容易犯的{n}个错误',
      '业余{sport}爱好者如何提高水平',
      '{event}前瞻：这{n}支队伍值得关注',
      '{sport}装备怎么选？{n}款实测对比',
    ],
    slots: {
      sport: ['篮球', '足球', '羽毛球', '乒乓球', '网球', '游泳', '马拉松'],
      result: ['逆转取胜', '主场告负', '加时险胜', '客场大胜'],
      event: ['城市联赛', '校园联赛', '业余联赛', '全民健身赛'],
    },
    tags: ['篮球', '足球', '赛事', '健身', '跑步', '球鞋', '训练'],
  },
  财经: {
    templates: [
      '{n}张图看懂{topic}',
      '月薪{salary}如何理财？{n}个建议',
      '{topic}对普通人意味着什么',
      '年轻人该不该{action}？',
      '{city}{topic}观察：{n}个数据说明了什么',
    ],
    slots: {
      topic: [
        '降息',
        '房贷利率',
        '个人养老金',
        '新能源汽车行业',
        '外卖平台竞争',
        '人民币汇率',
        '消费复苏',
      ],
      salary: ['5000', '8000', '1万', '2万'],
      action: ['买房', '存钱', '买基金', '提前还贷', '做副业'],
    },
    tags: ['理财', '基金', '股票', '房产', '经济', '创业', '保险', '职场'],
  },
};

const SUMMARY_KINDS = ['干货分享', '实用指南', '亲身经历', '深度解读', '经验总结', '避坑清单'];
const SUMMARY_ENDINGS = [
  '看完记得收藏。',
  '欢迎在评论区聊聊你的看法。',
  '建议转给需要的朋友。',
  '新手也能轻松上手。',
  '第三点最容易被忽略。',
];

function fill(template: string, slots: Record<string, string[]>, rng: Random): string {
  const used = new Set<string>();
  return template.replace(/\{(\w+)\}/g, (_m, slot: string) => {
    const options = slots[slot] ?? SHARED_SLOTS[slot];
    if (!options) throw new Error(`demo world: no words for slot {${slot}}`);
    // A slot used twice in one title ("{exercise}还是{exercise}") gets two different words.
    const word = rng.pick(options.filter((w) => !used.has(w)));
    used.add(word);
    return word;
  });
}

function makeItem(index: number, rng: Random, now: number, seen: Set<string>): ContentItem {
  const category = rng.pick(Object.keys(CATEGORIES));
  const spec = CATEGORIES[category];
  // Redraw a few times so titles are (almost always) distinct, as in a real feed.
  let title = fill(rng.pick(spec.templates), spec.slots, rng);
  for (let tries = 0; seen.has(title) && tries < 5; tries++)
    title = fill(rng.pick(spec.templates), spec.slots, rng);
  seen.add(title);
  const tags = rng.sample(spec.tags, rng.int(2, 4));
  const id = `demo-item-${String(index + 1).padStart(4, '0')}`;
  return {
    id,
    title,
    summary: `关于「${tags[0]}」和「${tags[1]}」的${rng.pick(SUMMARY_KINDS)}，${rng.pick(SUMMARY_ENDINGS)}`,
    category,
    tags,
    // About one item in twelve has no cover, so the feed's text-only card gets exercised.
    cover: rng.chance(0.08) ? '' : `https://picsum.photos/seed/${id}/640/360`,
    authorId: `demo-author-${String(rng.int(1, 24)).padStart(2, '0')}`,
    // Whole seconds, spread over the 30 days before `now`.
    publishedAt: Math.floor((now - rng.int(0, 30 * DAY_MS)) / 1000) * 1000,
    // A few unpublished items, which the feed must never show.
    status: rng.chance(0.02) ? 'unpublished' : 'published',
  };
}

/** The demo merchants: each advertises to readers of one category, some only in its city. */
export const MERCHANTS = [
  { name: '川味小馆', category: '美食', city: '成都' },
  { name: '山海旅行社', category: '旅行', city: '昆明' },
  { name: '极客数码', category: '科技', city: '深圳' },
  { name: '元气健身房', category: '健康', city: '上海' },
  { name: '书香教育', category: '教育', city: '北京' },
  { name: '衣橱时光', category: '时尚', city: '杭州' },
] as const;

type MerchantSpec = (typeof MERCHANTS)[number];

function makeCampaigns(
  merchant: Merchant,
  spec: MerchantSpec,
  items: ContentItem[],
  rng: Random,
  now: number,
  startIndex: number,
): Campaign[] {
  const tagsOfCategory = CATEGORIES[spec.category].tags;
  const landingItems = items.filter(
    (i) => i.category === spec.category && i.status === 'published',
  );
  const count = rng.int(1, 2);
  const out: Campaign[] = [];
  for (let k = 0; k < count; k++) {
    const id = `demo-campaign-${String(startIndex + k + 1).padStart(3, '0')}`;
    const tags = rng.sample(tagsOfCategory, 2);
    const dailyBudgetFen = rng.int(5, 50) * 1000;
    const createdAt = now - rng.int(1, 10) * DAY_MS;
    const landingItem =
      landingItems.length > 0 && rng.chance(0.5) ? rng.pick(landingItems) : undefined;
    out.push({
      id,
      merchantId: merchant.id,
      name: `${spec.name}·${tags[0]}推广`,
      status: rng.chance(0.85) ? 'active' : 'paused',
      creative: {
        title: `${spec.name}：${rng.pick(['限时优惠', '新店开业', '会员专享', '爆款推荐'])}，${tags[0]}${rng.pick(['首选', '就选这家', '不踩雷'])}`,
        description: `${spec.city}·${spec.category}｜${rng.pick(['立减20元', '满100减30', '首单免运费', '预约送好礼'])}`,
        image: `https://picsum.photos/seed/${id}/640/360`,
        landing: landingItem
          ? { kind: 'item', itemId: landingItem.id }
          : { kind: 'page', path: 'pages/feed/index' },
      },
      targeting: {
        interestTags: [spec.category, ...tags],
        genders: [],
        ageBands: rng.chance(0.3) ? ['18-24', '25-34'] : [],
        cities: rng.chance(0.3) ? [spec.city] : [],
        scenes: [],
      },
      bidFen: rng.int(20, 200),
      dailyBudgetFen,
      totalBudgetFen: dailyBudgetFen * rng.int(7, 30),
      startAt: createdAt,
      endAt: now + rng.int(7, 60) * DAY_MS,
      // Some campaigns serve only in the daytime (CST).
      hours: rng.chance(0.25) ? Array.from({ length: 15 }, (_, h) => h + 8) : [],
      createdAt,
      updatedAt: createdAt,
    });
  }
  return out;
}

/**
 * The 金融理财 shelf: typical retail products with the risk level their kind usually carries
 * (deposits and money-market funds R1 … leveraged and private products R5). Demo data, not advice.
 */
export const FINANCE_PRODUCTS: readonly {
  title: string;
  tags: string[];
  riskLevel: 1 | 2 | 3 | 4 | 5;
}[] = [
  { title: '三年期大额存单：保本保息，到期一次还本付息', tags: ['存款', '保本'], riskLevel: 1 },
  { title: '货币基金：随存随取，收益稳定的零钱理财', tags: ['货币基金', '流动性'], riskLevel: 1 },
  { title: '纯债基金：以国债和高等级信用债为主', tags: ['债券基金', '稳健'], riskLevel: 2 },
  {
    title: '银行固收理财：一年期，业绩比较基准 2.8%–3.2%',
    tags: ['银行理财', '固收'],
    riskLevel: 2,
  },
  { title: '偏债混合基金：债券打底，少量股票增强', tags: ['混合基金', '固收+'], riskLevel: 3 },
  { title: '沪深 300 指数基金：长期定投的核心资产', tags: ['指数基金', '定投'], riskLevel: 3 },
  { title: '偏股混合基金：明星经理管理的成长风格组合', tags: ['混合基金', '成长'], riskLevel: 4 },
  { title: '新能源行业主题基金：高弹性，波动较大', tags: ['主题基金', '行业'], riskLevel: 4 },
  { title: '商品期货基金：跟踪黄金与原油期货', tags: ['期货', '商品'], riskLevel: 5 },
  { title: '私募股权投资计划：合格投资者专享，封闭五年', tags: ['私募', '股权'], riskLevel: 5 },
];

/** The shelf's merchant. */
const FINANCE_MERCHANT = { name: '稳盈理财', city: '上海' } as const;

function financeShelf(
  seed: number,
  now: number,
): { items: ContentItem[]; merchant: Merchant; campaigns: Campaign[] } {
  // Its own generator: the regular world draws exactly what it draws without the shelf.
  const rng = new Random(seed ^ 0x5eed_f17a);
  const items: ContentItem[] = FINANCE_PRODUCTS.map((p, i) => ({
    id: `demo-fund-${String(i + 1).padStart(2, '0')}`,
    title: p.title,
    summary: `风险等级 R${p.riskLevel}｜${p.tags.join('、')}｜理财有风险，投资需谨慎`,
    category: '理财',
    tags: p.tags,
    cover: `https://picsum.photos/seed/demo-fund-${i + 1}/640/360`,
    authorId: 'demo-author-finance',
    publishedAt: Math.floor((now - rng.int(0, 30 * DAY_MS)) / 1000) * 1000,
    status: 'published',
    riskLevel: p.riskLevel,
  }));
  const merchant: Merchant = {
    id: 'demo-merchant-finance',
    name: FINANCE_MERCHANT.name,
    createdAt: now - rng.int(10, 90) * DAY_MS,
  };
  // One campaign for a low-risk and one for a high-risk product: what a user sees depends on their level.
  const campaigns = [1, 7].map((p, k): Campaign => {
    const item = items[p];
    const createdAt = now - rng.int(1, 10) * DAY_MS;
    const dailyBudgetFen = rng.int(10, 50) * 1000;
    return {
      id: `demo-campaign-fund-${k + 1}`,
      merchantId: merchant.id,
      name: `${FINANCE_MERCHANT.name}·${item.tags[0]}推广`,
      status: 'active',
      creative: {
        title: `${FINANCE_MERCHANT.name}：${item.title.split('：')[0]}`,
        description: `风险等级 R${item.riskLevel}｜理财有风险，投资需谨慎`,
        image: `https://picsum.photos/seed/demo-campaign-fund-${k + 1}/640/360`,
        landing: { kind: 'item', itemId: item.id },
      },
      targeting: { interestTags: [], genders: [], ageBands: [], cities: [], scenes: [] },
      riskLevel: item.riskLevel,
      bidFen: rng.int(40, 200),
      dailyBudgetFen,
      totalBudgetFen: dailyBudgetFen * rng.int(7, 30),
      startAt: createdAt,
      endAt: now + rng.int(30, 90) * DAY_MS,
      hours: [],
      createdAt,
      updatedAt: createdAt,
    };
  });
  return { items, merchant, campaigns };
}

/**
 * The 旅游出行 shelf: well-known sights with approximate GCJ-02 coordinates, each offered as a
 * route, a guide or a hotel nearby. Demo data: the coordinates are good to a few hundred metres.
 */
export const TRAVEL_PLACES: readonly { city: string; sight: string; lat: number; lng: number }[] = [
  { city: '成都', sight: '宽窄巷子', lat: 30.6702, lng: 104.0585 },
  { city: '成都', sight: '大熊猫繁育研究基地', lat: 30.7364, lng: 104.1508 },
  { city: '成都', sight: '都江堰', lat: 31.0017, lng: 103.6087 },
  { city: '昆明', sight: '滇池', lat: 24.8203, lng: 102.6695 },
  { city: '昆明', sight: '石林', lat: 24.8172, lng: 103.3259 },
  { city: '大理', sight: '大理古城', lat: 25.6945, lng: 100.1646 },
  { city: '丽江', sight: '丽江古城', lat: 26.8721, lng: 100.2345 },
  { city: '西安', sight: '兵马俑', lat: 34.3853, lng: 109.2785 },
  { city: '西安', sight: '大雁塔', lat: 34.2192, lng: 108.9645 },
  { city: '杭州', sight: '西湖', lat: 30.2437, lng: 120.1502 },
  { city: '杭州', sight: '灵隐寺', lat: 30.2408, lng: 120.1013 },
  { city: '厦门', sight: '鼓浪屿', lat: 24.4474, lng: 118.0679 },
  { city: '北京', sight: '故宫', lat: 39.9163, lng: 116.3972 },
  { city: '北京', sight: '八达岭长城', lat: 40.3564, lng: 116.0201 },
  { city: '上海', sight: '外滩', lat: 31.24, lng: 121.4905 },
  { city: '桂林', sight: '漓江', lat: 25.0785, lng: 110.4346 },
];

const TRAVEL_KINDS = [
  { tag: '路线', title: (c: string, s: string) => `${c}${s}一日游路线：怎么走最省时间` },
  {
    tag: '攻略',
    title: (c: string, s: string) => `${s}游玩攻略：门票、开放时间和避坑指南（${c}）`,
  },
  { tag: '酒店', title: (c: string, s: string) => `${s}附近住哪里？${c}步行可达的酒店推荐` },
] as const;

function travelShelf(seed: number, now: number): ContentItem[] {
  // Its own generator: the regular world draws exactly what it draws without the shelf.
  const rng = new Random(seed ^ 0x7a4e_1c05);
  return TRAVEL_PLACES.flatMap((p, i) =>
    TRAVEL_KINDS.map((k, j) => {
      const id = `demo-trip-${String(i * TRAVEL_KINDS.length + j + 1).padStart(3, '0')}`;
      // A hotel is a short walk from the sight; a route or guide is about the sight itself.
      const offset = k.tag === '酒店' ? 0.004 : 0;
      return {
        id,
        title: k.title(p.city, p.sight),
        summary: `${p.city}·${p.sight}｜${k.tag}`,
        category: '旅行',
        tags: [k.tag, p.city, '旅行'],
        cover: `https://picsum.photos/seed/${id}/640/360`,
        authorId: `demo-author-travel-${String(rng.int(1, 6)).padStart(2, '0')}`,
        publishedAt: Math.floor((now - rng.int(0, 30 * DAY_MS)) / 1000) * 1000,
        status: 'published' as const,
        place: { city: p.city, lat: p.lat + offset, lng: p.lng + offset },
      };
    }),
  );
}

/** Generates the demo world. Pure: the same options give a deep-equal world. */
export function generateDemoWorld(opts: DemoWorldOptions): DemoWorld {
  const rng = new Random(opts.seed);
  const itemCount = opts.itemCount ?? 320;
  const seen = new Set<string>();
  const items = Array.from({ length: itemCount }, (_, i) => makeItem(i, rng, opts.now, seen));
  const merchants: Merchant[] = [];
  const campaigns: Campaign[] = [];
  MERCHANTS.forEach((spec, i) => {
    const merchant = {
      id: `demo-merchant-${String(i + 1).padStart(2, '0')}`,
      name: spec.name,
      createdAt: opts.now - rng.int(10, 90) * DAY_MS,
    };
    merchants.push(merchant);
    campaigns.push(...makeCampaigns(merchant, spec, items, rng, opts.now, campaigns.length));
  });
  if (opts.finance) {
    const shelf = financeShelf(opts.seed, opts.now);
    items.push(...shelf.items);
    merchants.push(shelf.merchant);
    campaigns.push(...shelf.campaigns);
  }
  if (opts.travel) items.push(...travelShelf(opts.seed, opts.now));
  return { seed: opts.seed, items, merchants, campaigns };
}

export interface SeedCounts {
  items: number;
  merchants: number;
  campaigns: number;
}

/** Stores the whole world (items with their bodies: demo-bodies.ts) if the catalog is empty (a first start); otherwise writes nothing and returns zeros. */
export async function seedDemoWorld(
  stores: Pick<Stores, 'catalog' | 'ads'>,
  world: DemoWorld,
): Promise<SeedCounts> {
  if ((await stores.catalog.count()) > 0) return { items: 0, merchants: 0, campaigns: 0 };
  await stores.ads.upsertMerchants(world.merchants);
  await stores.ads.upsertCampaigns(world.campaigns);
  for (let i = 0; i < world.items.length; i += 100)
    await stores.catalog.putBodies(
      world.items.slice(i, i + 100).map((it) => ({ itemId: it.id, body: demoBody(it) })),
    );
  // Items last: a non-empty catalog is what marks the world as seeded.
  for (let i = 0; i < world.items.length; i += 100)
    await stores.catalog.upsert(world.items.slice(i, i + 100));
  return {
    items: world.items.length,
    merchants: world.merchants.length,
    campaigns: world.campaigns.length,
  };
}

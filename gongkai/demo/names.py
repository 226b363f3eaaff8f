"""The word lists the demo county is made from: a fictional county (青峰县) in Jiangxi, its
organs, departments, towns and villages, and the characters people's names are drawn from.

Pinyin travels with each character so usernames look like the ones county offices really use
(wangjianguo, wangjianguo2 ...)."""

from __future__ import annotations

COUNTY = "青峰县"
AREA_CODE = "0791"

# (code, name, short name): the county committee's working organs (县委工作机关).
COUNTY_ORGANS: list[tuple[str, str, str]] = [
    ("xw-bgs", "县委办公室", "县委办"),
    ("xw-zzb", "县委组织部", "组织部"),
    ("xw-xcb", "县委宣传部", "宣传部"),
    ("xw-tzb", "县委统战部", "统战部"),
    ("xw-zfw", "县委政法委员会", "政法委"),
    ("xw-xcban", "县委巡察工作领导小组办公室", "巡察办"),
]

# (code, name, short name, kind code): department party organisations under 县直机关工委.
DEPARTMENTS: list[tuple[str, str, str, str]] = [
    ("jyj", "县教育局党组", "教育局", "organ_party_group"),
    ("wjj", "县卫健局党组", "卫健局", "organ_party_group"),
    ("gaj", "县公安局党委", "公安局", "party_committee"),
    ("czj", "县财政局党组", "财政局", "organ_party_group"),
    ("fgw", "县发改委党组", "发改委", "organ_party_group"),
    ("mzj", "县民政局党组", "民政局", "organ_party_group"),
    ("rsj", "县人社局党组", "人社局", "organ_party_group"),
    ("zrj", "县自然资源局党组", "自然资源局", "organ_party_group"),
    ("zjj", "县住建局党组", "住建局", "organ_party_group"),
    ("jtj", "县交通运输局党组", "交通运输局", "organ_party_group"),
    ("slj", "县水利局党组", "水利局", "organ_party_group"),
    ("nyj", "县农业农村局党组", "农业农村局", "organ_party_group"),
    ("swj", "县商务局党组", "商务局", "organ_party_group"),
    ("wlj", "县文广新旅局党组", "文广新旅局", "organ_party_group"),
    ("scj", "县市场监管局党组", "市场监管局", "organ_party_group"),
    ("tjj", "县统计局党组", "统计局", "organ_party_group"),
    ("sfj", "县司法局党组", "司法局", "organ_party_group"),
    ("yjj", "县应急管理局党组", "应急管理局", "organ_party_group"),
    ("ybj", "县医疗保障局党组", "医保局", "organ_party_group"),
    ("tyj", "县退役军人事务局党委", "退役军人事务局", "party_committee"),
]

# (code, name, is a 街道): 镇 have 党委 and mostly villages, 街道 have 党工委 and communities.
TOWNS: list[tuple[str, str, bool]] = [
    ("cgz", "城关镇", False),
    ("dhjd", "东湖街道", True),
    ("xsjd", "西山街道", True),
    ("sqz", "石桥镇", False),
    ("ylz", "杨林镇", False),
    ("tnz", "塘南镇", False),
    ("bsz", "白沙镇", False),
    ("mlz", "梅岭镇", False),
    ("xgz", "新港镇", False),
    ("hxz", "黄溪镇", False),
]

VILLAGE_FIRST = "石杨柳梅桃黄白青龙凤马金高罗胡陈刘万双三新上下东西南北中枫竹"
VILLAGE_SECOND = "桥溪塘岭坑源田湖港冲湾坪山林庄家埠洲岗垄"
COMMUNITIES = [
    "建设", "人民", "胜利", "解放", "和平", "幸福", "文化", "光明", "朝阳", "滨江", "新华", "长青",
    "锦绣", "翠苑", "东门", "西门", "南门", "北门", "红星", "友谊", "府前", "迎春", "丰收", "花园",
]
ROADS = ["人民路", "建设路", "解放路", "中山路", "府前路", "新华路", "文化路", "胜利路", "迎宾大道",
         "青峰大道"]
ORDINALS = "一二三四五"

OFFICE_HOURS = "周一至周五 8:30-12:00，14:30-17:30（法定节假日除外）"
VILLAGE_HOURS = "周一至周五 8:30-17:00，党群服务中心值班"

# The commonest surnames come twice so they are drawn about twice as often, as in life.
SURNAMES: list[tuple[str, str]] = [
    (c, p) for c, p in [
        ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
        ("黄", "huang"), ("胡", "hu"), ("熊", "xiong"), ("万", "wan"),
    ] for _ in range(2)
] + [
    ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("徐", "xu"), ("孙", "sun"), ("马", "ma"),
    ("朱", "zhu"), ("郭", "guo"), ("何", "he"), ("高", "gao"), ("林", "lin"), ("罗", "luo"),
    ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"), ("唐", "tang"), ("许", "xu"),
    ("韩", "han"), ("冯", "feng"), ("邓", "deng"), ("曹", "cao"), ("彭", "peng"), ("曾", "zeng"),
    ("肖", "xiao"), ("田", "tian"), ("董", "dong"), ("袁", "yuan"), ("潘", "pan"), ("蒋", "jiang"),
    ("蔡", "cai"), ("余", "yu"), ("杜", "du"), ("叶", "ye"), ("程", "cheng"), ("魏", "wei"),
    ("丁", "ding"), ("沈", "shen"), ("姚", "yao"), ("卢", "lu"), ("钟", "zhong"), ("涂", "tu"),
    ("汪", "wang"), ("邹", "zou"), ("邱", "qiu"), ("龚", "gong"), ("饶", "rao"), ("付", "fu"),
    ("游", "you"), ("傅", "fu"), ("舒", "shu"), ("喻", "yu"), ("聂", "nie"), ("艾", "ai"),
]

GIVEN: list[tuple[str, str]] = [
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"),
    ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("艳", "yan"),
    ("杰", "jie"), ("娟", "juan"), ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("秀", "xiu"),
    ("霞", "xia"), ("平", "ping"), ("刚", "gang"), ("桂", "gui"), ("英", "ying"), ("华", "hua"),
    ("建", "jian"), ("国", "guo"), ("文", "wen"), ("辉", "hui"), ("玲", "ling"), ("萍", "ping"),
    ("红", "hong"), ("斌", "bin"), ("鹏", "peng"), ("飞", "fei"), ("海", "hai"), ("燕", "yan"),
    ("春", "chun"), ("晓", "xiao"), ("志", "zhi"), ("永", "yong"), ("林", "lin"), ("峰", "feng"),
    ("东", "dong"), ("兰", "lan"), ("梅", "mei"), ("琴", "qin"), ("云", "yun"), ("莲", "lian"),
    ("珍", "zhen"), ("雪", "xue"), ("荣", "rong"), ("金", "jin"), ("宇", "yu"), ("浩", "hao"),
    ("凯", "kai"), ("俊", "jun"), ("健", "jian"), ("帆", "fan"), ("鑫", "xin"), ("欣", "xin"),
    ("婷", "ting"), ("慧", "hui"), ("倩", "qian"), ("颖", "ying"), ("佳", "jia"), ("晨", "chen"),
    ("雨", "yu"), ("思", "si"), ("怡", "yi"), ("子", "zi"), ("博", "bo"), ("嘉", "jia"),
    ("毅", "yi"), ("诚", "cheng"), ("新", "xin"), ("安", "an"), ("和", "he"), ("德", "de"),
    ("福", "fu"), ("贵", "gui"), ("生", "sheng"), ("水", "shui"), ("根", "gen"), ("发", "fa"),
    ("清", "qing"), ("宏", "hong"), ("亮", "liang"), ("光", "guang"), ("庆", "qing"), ("昌", "chang"),
    ("振", "zhen"), ("保", "bao"), ("长", "chang"), ("泉", "quan"), ("秋", "qiu"), ("冬", "dong"),
    ("丹", "dan"), ("琳", "lin"), ("瑶", "yao"), ("晶", "jing"), ("蕾", "lei"), ("宁", "ning"),
    ("远", "yuan"), ("利", "li"), ("美", "mei"), ("小", "xiao"), ("继", "ji"), ("卫", "wei"),
]

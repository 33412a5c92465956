# ruff: noqa: E501  (data tables read better one record per line)
"""The fixed part of the demo city: districts, streets, communities, institutions and course topics.

Everything is bilingual (Simplified Chinese first, English twin). Course topics are keyed by the
category slugs seeded in migration 0002, so every seeded category gets courses.
"""

from __future__ import annotations

CITY = ("江海市", "Jianghai City", "320900")

# (name, name_en, centre latitude, centre longitude, streets[(name, name_en, communities[(name, name_en)])])
DISTRICTS = [
    ("海港区", "Haigang District", 31.232, 121.475, [
        ("滨江街道", "Binjiang Subdistrict", [("望江社区", "Wangjiang Community"), ("渔人码头社区", "Fisherman's Wharf Community")]),
        ("南京路街道", "Nanjing Road Subdistrict", [("金陵社区", "Jinling Community"), ("人民广场社区", "People's Square Community")]),
        ("外滩街道", "Bund Subdistrict", [("外滩源社区", "Bund Origin Community"), ("延安东社区", "Yan'an East Community")]),
    ]),
    ("东湖区", "Donghu District", 31.265, 121.530, [
        ("东湖街道", "Donghu Subdistrict", [("湖滨社区", "Lakeside Community"), ("荷花社区", "Lotus Community")]),
        ("樱花街道", "Yinghua Subdistrict", [("樱园社区", "Cherry Garden Community"), ("春晖社区", "Chunhui Community")]),
        ("大学城街道", "University Town Subdistrict", [("学府社区", "Xuefu Community"), ("书香社区", "Shuxiang Community")]),
    ]),
    ("西山区", "Xishan District", 31.210, 121.380, [
        ("西山街道", "Xishan Subdistrict", [("松林社区", "Pine Forest Community"), ("翠屏社区", "Cuiping Community")]),
        ("古镇街道", "Old Town Subdistrict", [("老街社区", "Old Street Community"), ("石桥社区", "Stone Bridge Community")]),
        ("枫林街道", "Fenglin Subdistrict", [("枫叶社区", "Maple Leaf Community"), ("红枫社区", "Red Maple Community")]),
    ]),
    ("南城区", "Nancheng District", 31.165, 121.455, [
        ("南门街道", "South Gate Subdistrict", [("南苑社区", "Nanyuan Community"), ("新民社区", "Xinmin Community")]),
        ("长乐街道", "Changle Subdistrict", [("长乐社区", "Changle Community"), ("福寿社区", "Fushou Community")]),
        ("阳光街道", "Yangguang Subdistrict", [("阳光花园社区", "Sunshine Garden Community"), ("康乐社区", "Kangle Community")]),
    ]),
    ("北湾区", "Beiwan District", 31.320, 121.460, [
        ("北湾街道", "Beiwan Subdistrict", [("海湾社区", "Bay Community"), ("灯塔社区", "Lighthouse Community")]),
        ("工业园街道", "Industrial Park Subdistrict", [("园区社区", "Park Community"), ("创业社区", "Startup Community")]),
        ("港口街道", "Port Subdistrict", [("码头社区", "Dock Community"), ("远航社区", "Voyage Community")]),
    ]),
    ("高新区", "Hi-Tech District", 31.195, 121.590, [
        ("科创街道", "Innovation Subdistrict", [("智慧社区", "Smart Community"), ("云谷社区", "Cloud Valley Community")]),
        ("张江街道", "Zhangjiang Subdistrict", [("药谷社区", "Pharma Valley Community"), ("芯城社区", "Chip City Community")]),
        ("未来街道", "Future Subdistrict", [("星光社区", "Starlight Community"), ("未来城社区", "Future City Community")]),
    ]),
    ("临江县", "Linjiang County", 31.080, 121.300, [
        ("临江镇", "Linjiang Town", [("江村", "Jiang Village"), ("柳树村", "Willow Village")]),
        ("稻香镇", "Daoxiang Town", [("稻香村", "Daoxiang Village"), ("丰收村", "Harvest Village")]),
        ("茶山乡", "Chashan Township", [("茶园村", "Tea Garden Village"), ("竹林村", "Bamboo Grove Village")]),
    ]),
    ("青浦新区", "Qingpu New District", 31.150, 121.220, [
        ("湖畔街道", "Lakeshore Subdistrict", [("水乡社区", "Water Town Community"), ("渔舟社区", "Fishing Boat Community")]),
        ("新城街道", "New Town Subdistrict", [("新城社区", "New Town Community"), ("和谐社区", "Harmony Community")]),
        ("莲湖镇", "Lianhu Town", [("莲湖村", "Lianhu Village"), ("桃园村", "Peach Orchard Village")]),
    ]),
]

ROADS = ["人民路", "解放路", "中山路", "建设路", "和平路", "文化路", "长江路", "学院路", "青年路", "健康路",
         "幸福路", "光明路", "团结路", "振兴路", "滨河路", "科技路"]

# (slug, name, name_en, type, district index, short name for the logo)
INSTITUTIONS = [
    ("jianghai-university", "江海大学", "Jianghai University", "university", 1, "JHU"),
    ("jianghai-normal-university", "江海师范大学", "Jianghai Normal University", "university", 1, "JNU"),
    ("jianghai-medical-university", "江海医科大学", "Jianghai Medical University", "university", 5, "JMU"),
    ("jianghai-open-university", "江海开放大学", "Jianghai Open University", "open_university", 0, "JOU"),
    ("haigang-open-university", "江海开放大学海港分校", "Jianghai Open University, Haigang Branch", "open_university", 0, "OU-H"),
    ("linjiang-open-university", "江海开放大学临江分校", "Jianghai Open University, Linjiang Branch", "open_university", 6, "OU-L"),
    ("seniors-university", "江海老年大学", "Jianghai University for Seniors", "open_university", 3, "U3A"),
    ("jianghai-polytechnic", "江海职业技术学院", "Jianghai Polytechnic", "vocational", 4, "JPT"),
    ("beiwan-technician-college", "北湾技师学院", "Beiwan Technician College", "vocational", 4, "BTC"),
    ("nursing-vocational-school", "江海护理职业学校", "Jianghai Nursing Vocational School", "vocational", 3, "NVS"),
    ("agricultural-school", "临江农业学校", "Linjiang Agricultural School", "vocational", 6, "LAS"),
    ("city-library", "江海市图书馆", "Jianghai City Library", "library", 0, "LIB"),
    ("donghu-library", "东湖区图书馆", "Donghu District Library", "library", 1, "DHL"),
    ("children-library", "江海少年儿童图书馆", "Jianghai Children's Library", "library", 3, "KID"),
    ("city-museum", "江海博物馆", "Jianghai Museum", "museum", 0, "MUS"),
    ("science-museum", "江海科技馆", "Jianghai Science Museum", "museum", 5, "SCI"),
    ("art-museum", "江海美术馆", "Jianghai Art Museum", "museum", 2, "ART"),
    ("haigang-community-college", "海港区社区学院", "Haigang Community College", "community_school", 0, "HCC"),
    ("xishan-community-college", "西山区社区学院", "Xishan Community College", "community_school", 2, "XCC"),
    ("nancheng-community-school", "南城区社区学校", "Nancheng Community School", "community_school", 3, "NCS"),
    ("beiwan-community-school", "北湾区社区学校", "Beiwan Community School", "community_school", 4, "BCS"),
    ("qingpu-community-college", "青浦新区社区学院", "Qingpu Community College", "community_school", 7, "QCC"),
    ("rural-learning-centre", "临江县乡村学习中心", "Linjiang Rural Learning Centre", "community_school", 6, "RLC"),
    ("cloudbridge-tech", "云桥科技有限公司", "Cloudbridge Technology Co.", "company", 5, "CBT"),
    ("harbour-bank-academy", "海港银行金融学院", "Harbour Bank Finance Academy", "company", 0, "HBA"),
    ("swift-delivery-academy", "速达物流骑手学院", "Swift Logistics Rider Academy", "company", 4, "SLA"),
    ("silver-age-foundation", "银龄关爱基金会", "Silver Age Care Foundation", "ngo", 3, "SAF"),
    ("sunflower-family-centre", "向日葵家庭服务中心", "Sunflower Family Service Centre", "ngo", 1, "SFC"),
    ("accessible-learning-network", "无障碍学习促进会", "Accessible Learning Network", "ngo", 2, "ALN"),
    ("legal-aid-volunteers", "江海法律援助志愿者协会", "Jianghai Legal Aid Volunteers", "ngo", 0, "LAV"),
]

# Which categories each institution type mostly teaches.
TYPE_CATEGORIES = {
    "university": ["academic-credit", "ai", "science", "english", "languages", "law", "office-software", "nutrition", "painting"],
    "open_university": ["academic-credit", "smartphone", "calligraphy", "tai-chi", "english", "painting", "music",
                        "elderly-care", "finance", "office-software", "dance"],
    "vocational": ["trades", "entrepreneurship", "elderly-care", "office-software", "rural", "vocational", "safety"],
    "library": ["smartphone", "parenting", "science", "english", "languages", "culture-arts", "law", "digital"],
    "museum": ["culture-arts", "science", "painting", "calligraphy", "parenting"],
    "community_school": ["smartphone", "tai-chi", "calligraphy", "dance", "music", "health", "parenting", "finance",
                         "safety", "nutrition", "law", "elderly-care"],
    "company": ["digital", "ai", "finance", "vocational", "safety", "entrepreneurship"],
    "ngo": ["elderly-care", "parenting", "law", "finance", "health", "safety"],
}

# Course topics per category: (Chinese title, English title, slug stem). Titles are what people search for.
TOPICS = {
    "vocational": [("职业技能提升通识课", "Workplace skills essentials", "workplace-skills"),
                   ("求职简历与面试技巧", "CVs and job interviews", "cv-interviews")],
    "trades": [("家电维修实用技术", "Home appliance repair", "appliance-repair"),
               ("电工上岗证培训", "Electrician certificate training", "electrician"),
               ("中式烹调师（初级）", "Chinese cookery, foundation", "chinese-cookery"),
               ("育婴师职业技能培训", "Childcare worker certificate", "childcare-worker")],
    "entrepreneurship": [("小微创业从零开始", "Starting a small business", "small-business"),
                         ("电商直播带货实战", "Live-stream selling", "live-stream-selling")],
    "digital": [("数字生活入门", "Digital life for beginners", "digital-life"),
                ("网上办事一网通办", "Online public services", "online-services")],
    "smartphone": [("老年人智能手机入门", "Smartphones for seniors", "smartphone-seniors"),
                   ("手机拍照与短视频剪辑", "Phone photography and short videos", "phone-video"),
                   ("手机支付与网上挂号", "Mobile payment and booking a doctor", "mobile-payment"),
                   ("微信使用一学就会", "WeChat made easy", "wechat")],
    "office-software": [("Excel 数据处理", "Excel for data", "excel"),
                        ("Word 与 PPT 办公实务", "Word and PowerPoint at work", "word-ppt"),
                        ("Python 编程入门", "Python programming for beginners", "python")],
    "ai": [("AI 人工智能通识", "AI for everyone", "ai-for-everyone"),
           ("用 AI 助手提高工作效率", "Working smarter with AI assistants", "ai-assistants"),
           ("AI 绘画与创意设计", "AI image generation and design", "ai-design")],
    "health": [("慢性病自我管理", "Living well with chronic illness", "chronic-illness"),
               ("中医养生与经络保健", "Traditional Chinese medicine for wellbeing", "tcm-wellbeing"),
               ("心理健康与情绪调适", "Mental health and managing emotions", "mental-health")],
    "tai-chi": [("太极拳二十四式", "24-form tai chi", "tai-chi-24"),
                ("八段锦", "Baduanjin qigong", "baduanjin"),
                ("太极扇", "Tai chi fan", "tai-chi-fan")],
    "nutrition": [("老年营养膳食", "Nutrition in later life", "senior-nutrition"),
                  ("家常菜健康做法", "Healthy home cooking", "healthy-cooking")],
    "elderly-care": [("失能老人照护技能", "Caring for frail older people", "frail-care"),
                     ("养老护理员培训", "Elderly care worker training", "care-worker"),
                     ("认知症家庭照护", "Caring for a family member with dementia", "dementia-care")],
    "culture-arts": [("江海地方文化史", "Local history of Jianghai", "local-history"),
                     ("古典诗词鉴赏", "Reading classical Chinese poetry", "classical-poetry"),
                     ("博物馆里的中国", "China through museum objects", "museum-objects")],
    "calligraphy": [("书法入门：楷书", "Calligraphy: regular script", "calligraphy-kaishu"),
                    ("行书临帖", "Calligraphy: running script", "calligraphy-xingshu"),
                    ("硬笔书法", "Pen calligraphy", "pen-calligraphy")],
    "painting": [("国画山水入门", "Chinese landscape painting", "landscape-painting"),
                 ("水彩画基础", "Watercolour basics", "watercolour"),
                 ("素描与速写", "Drawing and sketching", "sketching")],
    "music": [("葫芦丝演奏", "Playing the hulusi", "hulusi"),
              ("合唱与声乐", "Choir and singing", "choir"),
              ("古筝入门", "Guzheng for beginners", "guzheng")],
    "dance": [("广场舞规范教学", "Square dancing", "square-dance"),
              ("民族舞", "Chinese folk dance", "folk-dance")],
    "parenting": [("科学育儿：0-3 岁", "Parenting babies and toddlers (0-3)", "parenting-0-3"),
                  ("亲子阅读", "Reading with your child", "family-reading"),
                  ("青春期沟通", "Talking with teenagers", "teenagers"),
                  ("隔代教育：祖辈育儿", "Grandparents raising grandchildren", "grandparenting")],
    "law": [("民法典与日常生活", "The Civil Code in everyday life", "civil-code"),
            ("劳动者权益保护", "Workers' rights", "workers-rights"),
            ("遗嘱与继承", "Wills and inheritance", "wills")],
    "science": [("天文观星入门", "Stargazing for beginners", "stargazing"),
                ("身边的化学", "Chemistry around us", "everyday-chemistry"),
                ("气候变化与低碳生活", "Climate change and low-carbon living", "low-carbon")],
    "languages": [("普通话水平测试辅导", "Putonghua proficiency test preparation", "putonghua"),
                  ("日语五十音入门", "Japanese for beginners", "japanese")],
    "english": [("旅游英语口语", "English for travel", "travel-english"),
                ("职场英语", "English at work", "business-english"),
                ("少儿英语绘本", "English picture books for children", "kids-english")],
    "academic-credit": [("开放教育：行政管理（专科）", "Public administration (diploma, credit)", "public-admin"),
                        ("学前教育专业课", "Early childhood education (credit)", "early-childhood"),
                        ("计算机应用基础（学分课程）", "Computer applications (credit)", "computer-applications")],
    "rural": [("设施农业种植技术", "Greenhouse farming", "greenhouse"),
              ("农村电商与农产品销售", "Selling farm produce online", "rural-ecommerce"),
              ("茶叶种植与加工", "Tea growing and processing", "tea-growing"),
              ("乡村民宿经营", "Running a rural guesthouse", "guesthouse")],
    "finance": [("防诈骗：守好养老钱", "Fraud prevention: protect your savings", "anti-fraud"),
                ("识别电信网络诈骗", "Spotting phone and online scams", "scam-awareness"),
                ("家庭理财规划", "Family financial planning", "family-finance")],
    "safety": [("急救技能与 AED 使用", "First aid and using an AED", "first-aid"),
               ("电动车消防安全", "E-bike fire safety", "ebike-safety"),
               ("骑手交通安全", "Road safety for delivery riders", "rider-safety")],
}

# Categories whose courses suit particular audiences (otherwise "everyone").
CATEGORY_AUDIENCES = {
    "smartphone": ["seniors"], "tai-chi": ["seniors", "everyone"], "elderly-care": ["employees", "everyone"],
    "parenting": ["parents-children"], "rural": ["rural-learners"], "finance": ["seniors", "everyone"],
    "safety": ["delivery-workers", "everyone"], "trades": ["employees", "delivery-workers"],
    "entrepreneurship": ["youth", "delivery-workers", "rural-learners"], "academic-credit": ["employees", "youth"],
    "english": ["youth", "employees", "parents-children"], "calligraphy": ["seniors", "everyone", "youth"],
    "digital": ["seniors", "disabilities", "everyone"], "office-software": ["employees", "youth"],
}

VARIANTS = [("", ""), ("（周末班）", " (weekend)"), ("（晚班）", " (evening)"), ("进阶", ": next steps"),
            ("（线上）", " (online)"), ("（社区班）", " (community class)"), ("提高班", ": improvers"),
            ("春季班", " (spring)"), ("秋季班", " (autumn)")]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁沈"
GIVEN = ["建国", "秀英", "志强", "丽娟", "文博", "晓燕", "海涛", "静怡", "明", "芳", "伟", "敏", "春华", "国庆",
         "佳怡", "子涵", "立新", "红梅", "永刚", "慧", "思远", "雅琴"]
ENGLISH_TEACHERS = ["Emma Clarke", "David Miller", "Sophie Martin", "James O'Neill", "Anna Schmidt", "Lucas Silva"]
TEACHER_ROLES = [("讲师", "Lecturer"), ("副教授", "Associate professor"), ("高级技师", "Senior technician"),
                 ("社区志愿者", "Community volunteer"), ("馆员", "Librarian"), ("主治医师", "Physician"),
                 ("律师", "Lawyer"), ("非遗传承人", "Intangible heritage master")]

SCHEDULES = ["每周二 9:30–11:00", "每周四 14:00–16:00", "周六上午 9:00–11:30", "周一、三 19:00–20:30",
             "周日下午 14:30–16:30", "每周五 18:30–20:30", "工作日晚上 19:00–21:00", "Saturdays 10:00–12:00",
             "Wednesdays 18:30–20:00"]

VENUE_KINDS = [("社区学习点", "community learning point"), ("社区文化活动中心", "community cultural centre"),
               ("老年大学教学点", "seniors' university classroom"), ("图书馆分馆", "branch library"),
               ("党群服务中心", "community service centre"), ("职工之家", "workers' club"),
               ("乡村学校", "village school"), ("科普基地", "science education base")]

OPENING_HOURS = ["周一至周五 8:30–17:00\n周六 9:00–12:00", "每天 9:00–21:00", "周二至周日 9:00–17:00（周一闭馆）",
                 "周一至周六 8:00–20:00"]

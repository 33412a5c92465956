"""Seed the taxonomy every platform starts with; editors change it in the admin afterwards."""

from django.db import migrations

CATEGORIES = [
    # (slug, name, name_en, parent_slug, review_interval_months)
    ("vocational", "职业技能", "Vocational skills", None, 12),
    ("trades", "技能工种", "Skilled trades", "vocational", 12),
    ("entrepreneurship", "创业就业", "Entrepreneurship and jobs", "vocational", 12),
    ("digital", "数字技能", "Digital skills", None, 6),
    ("smartphone", "智能手机应用", "Using a smartphone", "digital", 6),
    ("office-software", "办公软件", "Office software", "digital", 12),
    ("ai", "人工智能", "Artificial intelligence", "digital", 6),
    ("health", "健康养生", "Health and wellbeing", None, 12),
    ("tai-chi", "太极与传统健身", "Tai chi and traditional exercise", "health", 24),
    ("nutrition", "营养膳食", "Nutrition", "health", 12),
    ("elderly-care", "养老照护", "Elderly care", None, 12),
    ("culture-arts", "文化艺术", "Culture and arts", None, 24),
    ("calligraphy", "书法", "Calligraphy", "culture-arts", 36),
    ("painting", "国画与绘画", "Painting", "culture-arts", 36),
    ("music", "音乐", "Music", "culture-arts", 36),
    ("dance", "舞蹈", "Dance", "culture-arts", 36),
    ("parenting", "家庭教育", "Parenting and family", None, 12),
    ("law", "法律常识", "Law for everyday life", None, 12),
    ("science", "科学普及", "Popular science", None, 24),
    ("languages", "语言学习", "Languages", None, 24),
    ("english", "英语", "English", "languages", 24),
    ("academic-credit", "学历与学分课程", "Academic credit courses", None, 12),
    ("rural", "乡村振兴与农业", "Agriculture and rural revitalisation", None, 12),
    ("finance", "金融理财与防诈骗", "Personal finance and fraud prevention", None, 6),
    ("safety", "安全与应急", "Safety and emergencies", None, 12),
]

AUDIENCES = [
    ("everyone", "所有人", "Everyone"),
    ("seniors", "老年人", "Seniors"),
    ("delivery-workers", "快递外卖与灵活就业人员", "Delivery and gig workers"),
    ("rural-learners", "农村居民", "Rural learners"),
    ("employees", "在职人员", "Employees"),
    ("parents-children", "家长与儿童", "Parents and children"),
    ("youth", "青少年", "Youth"),
    ("disabilities", "残障人士", "People with disabilities"),
]

LEVELS = [
    (1, "入门", "Entry"), (2, "初级", "Foundation"), (3, "中级", "Intermediate"), (4, "中高级", "Upper intermediate"),
    (5, "高级", "Advanced"), (6, "专科/本科", "Bachelor"), (7, "硕士", "Master"), (8, "博士", "Doctorate"),
]

LANGUAGES = [("zh-hans", "普通话 Mandarin"), ("yue", "粤语 Cantonese"), ("en", "English"), ("zh-sign", "手语 Sign language")]


def seed(apps, schema_editor):
    Category = apps.get_model("catalogue", "Category")
    Audience = apps.get_model("catalogue", "Audience")
    Level = apps.get_model("catalogue", "QualificationLevel")
    Language = apps.get_model("catalogue", "Language")
    by_slug = {}
    for order, (slug, name, name_en, parent, months) in enumerate(CATEGORIES):
        by_slug[slug] = Category.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "name_en": name_en, "parent": by_slug.get(parent),
                      "review_interval_months": months, "sort_order": order},
        )[0]
    for order, (slug, name, name_en) in enumerate(AUDIENCES):
        Audience.objects.get_or_create(slug=slug, defaults={"name": name, "name_en": name_en, "sort_order": order})
    for number, name, name_en in LEVELS:
        Level.objects.get_or_create(number=number, defaults={"name": name, "name_en": name_en})
    for code, name in LANGUAGES:
        Language.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

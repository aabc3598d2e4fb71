"""The plan's seven themes, the hazard types and audiences of issue 7 (Vietnamese names)."""

from django.db import migrations

THEMES = [
    ("C1", "Vì sao phòng, chống thiên tai quan trọng: chủ động phòng ngừa, tính mạng là trên hết"),
    ("C2", "Lãnh đạo, trách nhiệm người đứng đầu, phối hợp"),
    ("C3", "Chủ trương, pháp luật, tiêu chuẩn; công trình; chính sách hỗ trợ"),
    ("C4", "Kiến thức, kỹ năng; gương người tốt việc tốt; đoàn kết tương trợ"),
    ("C5", "Khoa học, công nghệ, chuyển đổi số trong cảnh báo sớm"),
    ("C6", "Hợp tác quốc tế, giảm nhẹ rủi ro, thích ứng biến đổi khí hậu"),
    ("C7", "Đấu tranh với thông tin sai sự thật, xuyên tạc"),
]
HAZARDS = [
    ("flood", "Lũ, ngập lụt"),
    ("flash_flood", "Lũ quét, lũ ống"),
    ("landslide", "Sạt lở đất"),
    ("storm", "Bão, áp thấp nhiệt đới"),
    ("heavy_rain", "Mưa lớn"),
    ("heat", "Nắng nóng"),
    ("cold", "Rét đậm, rét hại"),
    ("whirlwind", "Dông, lốc, sét, mưa đá"),
    ("drought", "Hạn hán, xâm nhập mặn"),
]
AUDIENCES = [
    ("elderly", "Người cao tuổi"),
    ("children", "Trẻ em"),
    ("fishermen", "Ngư dân"),
    ("farmers", "Nông dân"),
    ("ethnic_minorities", "Đồng bào dân tộc thiểu số"),
    ("disabilities", "Người khuyết tật"),
]


def seed(apps, schema_editor):
    for model_name, rows in (("Theme", THEMES), ("HazardType", HAZARDS), ("Audience", AUDIENCES)):
        model = apps.get_model("library", model_name)
        for code, name in rows:
            model.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("library", "0001_page_types_and_taxonomies")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

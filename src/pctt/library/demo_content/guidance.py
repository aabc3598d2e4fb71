# ruff: noqa: E501 - content: one sentence per line reads better than wrapped strings
"""Guidance: skills in numbered steps, per hazard and phase."""

from typing import Any

GUIDANCE: list[dict[str, Any]] = [
    {
        "type": "guidance",
        "title": "Chuẩn bị nhà cửa trước mùa mưa bão",
        "summary": "Những việc mỗi gia đình nên làm từ tháng 5, trước khi mùa mưa bão đến.",
        "phase": "before",
        "themes": ["C4", "C1"],
        "hazards": ["storm", "heavy_rain"],
        "audiences": ["elderly", "farmers"],
        "steps": [
            ("Kiểm tra mái nhà", "Chằng chống mái tôn bằng bao cát hoặc dây thép, thay ngói vỡ."),
            ("Tỉa cành cây gần nhà", "Cành cây to gần mái và đường dây điện dễ gãy khi gió mạnh."),
            (
                "Chuẩn bị túi đồ khẩn cấp",
                "Đèn pin, pin dự phòng, thuốc men, giấy tờ tùy thân bọc ni lông, nước uống cho 3 ngày.",
            ),
            (
                "Ghi số điện thoại khẩn cấp",
                "Ghi số của tổ trưởng tổ dân phố, công an phường và số 112 ở nơi dễ thấy.",
            ),
            ("Biết nơi sơ tán", "Hỏi tổ dân phố điểm sơ tán gần nhất và đường đi an toàn đến đó."),
        ],
    },
    {
        "type": "guidance",
        "title": "Khi có lũ quét, lũ ống: làm gì ngay",
        "summary": "Lũ quét đến rất nhanh; mỗi phút đều quý. Rời xa suối và khe núi ngay.",
        "phase": "during",
        "themes": ["C4"],
        "hazards": ["flash_flood", "heavy_rain"],
        "audiences": ["ethnic_minorities", "farmers", "children"],
        "steps": [
            (
                "Di chuyển lên chỗ cao ngay lập tức",
                "Không chờ mang theo tài sản; rời bờ suối, khe núi, lòng sông cạn.",
            ),
            (
                "Không lội qua dòng nước chảy xiết",
                "Nước sâu 15 cm chảy xiết đã có thể làm người ngã; 50 cm có thể cuốn trôi xe máy.",
            ),
            ("Báo cho hàng xóm", "Gọi to, gõ kẻng, báo cho người già và trẻ nhỏ ở gần."),
            ("Gọi cứu nạn", "Gọi 112 hoặc tổ trưởng tổ dân phố, nói rõ nơi mình đang ở."),
            ("Chỉ trở về khi có thông báo an toàn", "Lũ quét có thể đến nhiều đợt liên tiếp."),
        ],
    },
    {
        "type": "guidance",
        "title": "Nhận biết dấu hiệu sạt lở đất",
        "summary": "Nhà ở chân đồi, sườn dốc cần để ý các dấu hiệu sạt lở khi mưa kéo dài.",
        "phase": "before",
        "themes": ["C4", "C5"],
        "hazards": ["landslide", "heavy_rain"],
        "audiences": ["ethnic_minorities", "farmers"],
        "steps": [
            (
                "Quan sát vết nứt",
                "Vết nứt mới trên sườn đồi, tường nhà, nền sân là dấu hiệu nguy hiểm.",
            ),
            ("Nghe tiếng động lạ", "Tiếng răng rắc của cây, tiếng đất đá lăn trên sườn dốc."),
            ("Để ý nước đục", "Nước suối, nước giếng đột nhiên đục hoặc mạch nước mới xuất hiện."),
            ("Cây, cột điện nghiêng", "Cây cối, cột điện, hàng rào nghiêng về phía chân dốc."),
            (
                "Rời khỏi nhà và báo ngay",
                "Khi thấy một trong các dấu hiệu trên, đưa cả nhà đến nơi an toàn và báo tổ dân phố.",
            ),
        ],
    },
    {
        "type": "guidance",
        "title": "Sơ tán an toàn khi có lệnh của phường",
        "summary": "Khi phường ra lệnh sơ tán vì lũ hoặc sạt lở, làm theo các bước sau.",
        "phase": "during",
        "themes": ["C4", "C2"],
        "hazards": ["flood", "landslide", "storm"],
        "audiences": ["elderly", "disabilities", "children"],
        "steps": [
            ("Ngắt cầu dao điện, khóa van ga", "Tránh chập điện, cháy nổ khi nước vào nhà."),
            ("Mang theo túi đồ khẩn cấp", "Giấy tờ, thuốc men, nước uống, áo phao nếu có."),
            (
                "Giúp người già, người khuyết tật đi trước",
                "Báo tổ dân phố nếu nhà có người cần xe hoặc cáng.",
            ),
            ("Đi theo đường được hướng dẫn", "Không đi qua ngầm tràn, cầu yếu, sườn dốc đang sạt."),
            (
                "Báo tên khi đến điểm sơ tán",
                "Để cán bộ biết gia đình đã an toàn và không phải đi tìm.",
            ),
        ],
    },
    {
        "type": "guidance",
        "title": "Phòng chống đuối nước cho trẻ em mùa mưa lũ",
        "summary": "Đuối nước là nguyên nhân tử vong hàng đầu ở trẻ em trong mùa mưa lũ.",
        "phase": "before",
        "themes": ["C4"],
        "hazards": ["flood", "flash_flood"],
        "audiences": ["children"],
        "steps": [
            (
                "Không để trẻ chơi gần ao, hồ, sông suối",
                "Luôn có người lớn trông khi trẻ ở gần nước.",
            ),
            (
                "Rào chắn, đậy nắp giếng, bể chứa nước",
                "Trẻ nhỏ có thể đuối nước trong chậu, xô chỉ sâu vài phân.",
            ),
            (
                "Cho trẻ học bơi và kỹ năng an toàn",
                "Đoàn Thanh niên phường mở lớp dạy bơi miễn phí mỗi hè.",
            ),
            ("Mặc áo phao khi đi đò, qua sông", "Kể cả với người lớn biết bơi."),
            (
                "Biết cách cứu người đuối nước",
                "Không nhảy xuống cứu nếu không biết bơi; hô hoán, ném phao, sào, dây cho người bị nạn.",
            ),
        ],
    },
    {
        "type": "guidance",
        "title": "Sau lũ: dọn dẹp nhà cửa và phòng dịch bệnh",
        "summary": "Nước rút rồi vẫn còn nhiều nguy hiểm: điện, nước bẩn, dịch bệnh.",
        "phase": "after",
        "themes": ["C4"],
        "hazards": ["flood", "flash_flood"],
        "audiences": ["elderly", "children", "farmers"],
        "steps": [
            (
                "Kiểm tra điện trước khi về nhà",
                "Chỉ bật cầu dao khi ổ cắm, dây điện đã khô và được kiểm tra.",
            ),
            (
                "Dọn bùn, rửa nhà bằng nước sạch",
                "Đeo găng tay, ủng; khử trùng bằng cloramin B theo hướng dẫn của trạm y tế.",
            ),
            (
                "Dùng nước sạch để ăn uống",
                "Đun sôi nước; không dùng nước giếng bị ngập khi chưa được xử lý.",
            ),
            ("Diệt muỗi, bọ gậy", "Đổ nước đọng trong chum, lốp xe để phòng sốt xuất huyết."),
            ("Báo thiệt hại cho tổ dân phố", "Để được xem xét hỗ trợ theo chính sách."),
        ],
    },
    {
        "type": "guidance",
        "title": "Trú ẩn an toàn khi dông, sét, mưa đá",
        "summary": "Dông lốc và sét đến nhanh, thường vào chiều tối mùa hè.",
        "phase": "during",
        "themes": ["C4"],
        "hazards": ["whirlwind"],
        "audiences": ["farmers", "children", "fishermen"],
        "steps": [
            ("Vào nhà kiên cố ngay", "Không trú dưới gốc cây to, lều lán, cột điện."),
            (
                "Rời khỏi ruộng đồng, mặt nước",
                "Người đang làm đồng, đánh cá cần lên bờ và tìm chỗ trú.",
            ),
            ("Tránh xa vật dẫn điện", "Không cầm cuốc, cần câu, ô có cán kim loại ngoài trời."),
            (
                "Ngồi xổm, hai chân sát nhau nếu bị kẹt ngoài trời",
                "Không nằm xuống đất; giữ đầu thấp.",
            ),
        ],
    },
    {
        "type": "guidance",
        "title": "Chống rét đậm, rét hại cho người già, trẻ nhỏ và vật nuôi",
        "summary": "Khi nhiệt độ xuống dưới 13 độ C, người già và trẻ nhỏ dễ bị nhiễm lạnh.",
        "phase": "before",
        "themes": ["C4"],
        "hazards": ["cold"],
        "audiences": ["elderly", "children", "farmers"],
        "steps": [
            ("Giữ ấm đầu, cổ, tay chân", "Mặc nhiều lớp áo, đội mũ, đi tất."),
            ("Không đốt than sưởi trong phòng kín", "Khí than có thể gây ngạt chết người khi ngủ."),
            (
                "Che chắn chuồng trại",
                "Dùng bạt che gió, cho gia súc ăn thêm thức ăn tinh, không thả trâu bò khi trời rét hại.",
            ),
            (
                "Không cho trẻ đến trường khi nhiệt độ dưới 10 độ C",
                "Theo thông báo của nhà trường.",
            ),
        ],
    },
    {
        "type": "guidance",
        "title": "Phòng say nắng, sốc nhiệt khi nắng nóng gay gắt",
        "summary": "Nắng nóng trên 37 độ C nguy hiểm cho người làm việc ngoài trời và người già.",
        "phase": "during",
        "themes": ["C4"],
        "hazards": ["heat"],
        "audiences": ["elderly", "farmers"],
        "steps": [
            ("Uống đủ nước", "Uống nước thường xuyên, kể cả khi chưa khát; tránh rượu bia."),
            (
                "Tránh làm việc ngoài trời từ 11h đến 15h",
                "Làm đồng sớm vào buổi sáng hoặc chiều muộn.",
            ),
            ("Nhận biết say nắng", "Đau đầu, chóng mặt, da nóng đỏ, buồn nôn."),
            ("Sơ cứu người say nắng", "Đưa vào chỗ mát, nới quần áo, chườm mát và gọi 115."),
        ],
    },
]

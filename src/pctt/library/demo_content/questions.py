# ruff: noqa: E501 - content: one sentence per line reads better than wrapped strings
"""Questions and answers, as residents ask them."""

from typing import Any

QUESTIONS: list[dict[str, Any]] = [
    {
        "type": "question",
        "title": "Gặp nạn khi mưa lũ thì gọi số nào?",
        "question": "Khi gặp nạn trong mưa lũ, sạt lở thì tôi gọi điện cho ai?",
        "answer": [
            "Gọi số 112 để được tìm kiếm cứu nạn, miễn phí từ mọi điện thoại, kể cả khi hết tiền.",
            "Gọi 114 khi có cháy nổ, 115 khi cần cấp cứu y tế, và báo ngay cho tổ trưởng tổ dân phố.",
        ],
        "themes": ["C4"],
        "hazards": ["flood", "flash_flood", "landslide"],
        "audiences": ["elderly", "children"],
    },
    {
        "type": "question",
        "title": "Nhà ven sông khi nào phải sơ tán?",
        "question": "Nhà tôi ở ven sông Cái, khi nào thì phải sơ tán?",
        "answer": [
            "Khi mực nước sông lên báo động 3 hoặc khi Ủy ban nhân dân phường ra lệnh sơ tán qua loa phường và tin nhắn, gia đình cần rời nhà ngay.",
            "Người già, trẻ nhỏ, người khuyết tật nên đi trước, ngay khi có báo động 2 và mưa còn kéo dài.",
        ],
        "themes": ["C4", "C2"],
        "hazards": ["flood"],
        "audiences": ["elderly", "disabilities"],
    },
    {
        "type": "question",
        "title": "Báo động 1, 2, 3 nghĩa là gì?",
        "question": "Trên loa nói mực nước đạt báo động 2, như vậy là nguy hiểm đến đâu?",
        "answer": [
            "Báo động 1 là nước bắt đầu lên, cần theo dõi tin tức.",
            "Báo động 2 là nước có thể tràn vào vùng trũng: chuẩn bị kê cao đồ đạc, sẵn sàng sơ tán.",
            "Báo động 3 là lũ lớn, nguy hiểm: sơ tán khỏi vùng ven sông theo hướng dẫn của phường.",
        ],
        "themes": ["C4", "C5"],
        "hazards": ["flood"],
        "audiences": ["farmers", "elderly"],
    },
    {
        "type": "question",
        "title": "Lũ quét khác lũ sông thế nào?",
        "question": "Lũ quét với lũ sông khác nhau thế nào, sao lũ quét nguy hiểm hơn?",
        "answer": [
            "Lũ quét xảy ra ở vùng đồi núi dốc sau mưa lớn, nước dâng rất nhanh trong vài chục phút và cuốn theo đất đá, cây cối.",
            "Lũ sông lên chậm hơn, có dự báo trước nhiều giờ; lũ quét thường không kịp báo trước nên người ở gần suối phải tự rời đi ngay khi mưa to kéo dài.",
        ],
        "themes": ["C4", "C1"],
        "hazards": ["flash_flood"],
        "audiences": ["ethnic_minorities"],
    },
    {
        "type": "question",
        "title": "Sơ cứu người bị sét đánh",
        "question": "Người bị sét đánh thì sơ cứu thế nào, có được chạm vào người đó không?",
        "answer": [
            "Có, người bị sét đánh không còn mang điện nên có thể chạm vào ngay.",
            "Gọi 115, kiểm tra hơi thở; nếu ngừng thở thì ép tim, thổi ngạt cho đến khi nhân viên y tế đến.",
        ],
        "themes": ["C4"],
        "hazards": ["whirlwind"],
        "audiences": ["farmers"],
    },
    {
        "type": "question",
        "title": "Nhà bị sập do bão được hỗ trợ gì?",
        "question": "Nhà tôi bị bão làm sập mái, có được nhà nước hỗ trợ không, làm thủ tục ở đâu?",
        "answer": [
            "Hộ có nhà bị sập, hư hỏng nặng do thiên tai được xem xét hỗ trợ theo chính sách của Nhà nước và của tỉnh.",
            "Gia đình báo thiệt hại cho tổ trưởng tổ dân phố; cán bộ phường sẽ đến kiểm tra, lập danh sách và hướng dẫn hồ sơ tại bộ phận một cửa của Ủy ban nhân dân phường.",
        ],
        "themes": ["C3"],
        "hazards": ["storm", "flood", "landslide"],
        "audiences": ["elderly", "farmers"],
    },
    {
        "type": "question",
        "title": "Tin đồn vỡ đập thủy điện có thật không?",
        "question": "Trên mạng xã hội có người nói đập thủy điện phía trên sắp vỡ, có thật không?",
        "answer": [
            "Chỉ tin thông báo chính thức của Ủy ban nhân dân phường, Ban Chỉ huy phòng, chống thiên tai và đài phát thanh.",
            "Khi thấy tin như vậy, đừng chia sẻ; hãy gửi cho phường qua mục Ý kiến người dân để được kiểm tra và trả lời công khai.",
        ],
        "themes": ["C7"],
        "hazards": ["flood"],
        "audiences": [],
    },
    {
        "type": "question",
        "title": "Nhận cảnh báo thiên tai trên điện thoại thế nào?",
        "question": "Làm sao để nhận cảnh báo thiên tai của phường qua điện thoại hoặc email?",
        "answer": [
            "Đăng ký nhận cảnh báo trên cổng thông tin của phường bằng số điện thoại hoặc địa chỉ email và chọn tổ dân phố nơi ở.",
            "Cảnh báo được gửi theo khu vực: bạn chỉ nhận tin liên quan đến nơi mình ở.",
        ],
        "themes": ["C5"],
        "hazards": [],
        "audiences": ["elderly"],
    },
    {
        "type": "question",
        "title": "Túi đồ khẩn cấp gồm những gì?",
        "question": "Túi đồ dự phòng khẩn cấp khi đi sơ tán cần những gì?",
        "answer": [
            "Nước uống và lương khô cho 3 ngày, đèn pin, pin dự phòng, radio nhỏ.",
            "Thuốc men thường dùng, bộ sơ cứu, giấy tờ tùy thân bọc trong túi ni lông, một ít tiền mặt, áo mưa.",
        ],
        "themes": ["C4"],
        "hazards": ["storm", "flood"],
        "audiences": ["elderly", "children"],
    },
]

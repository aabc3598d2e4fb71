# ruff: noqa: E501 - content: one sentence per line reads better than wrapped strings
"""Articles, policy summaries, stories, loudspeaker scripts, infographics, video, newsletter."""

from typing import Any

OTHER: list[dict[str, Any]] = [
    {
        "type": "article",
        "title": "Vì sao phải chuyển từ ứng phó bị động sang chủ động phòng ngừa",
        "summary": "Thiên tai ngày càng cực đoan; bảo vệ tính mạng người dân là mục tiêu cao nhất.",
        "body": [
            "Biến đổi khí hậu làm mưa lớn, lũ quét và sạt lở đất xảy ra thường xuyên hơn và khó dự báo hơn.",
            "Chủ động phòng ngừa nghĩa là biết trước nguy cơ nơi mình ở, chuẩn bị từ trước mùa mưa bão và làm theo cảnh báo sớm.",
            "Giảm thiểu thiệt hại về người là mục tiêu cao nhất; không đánh đổi an toàn của người dân lấy lợi ích trước mắt.",
        ],
        "themes": ["C1"],
        "hazards": ["flood", "storm", "landslide"],
        "audiences": [],
    },
    {
        "type": "article",
        "title": "Phường kiện toàn Ban Chỉ huy phòng, chống thiên tai năm 2026",
        "summary": "Phân công trách nhiệm người đứng đầu và phối hợp giữa các tổ chức.",
        "body": [
            "Ủy ban nhân dân phường đã kiện toàn Ban Chỉ huy phòng, chống thiên tai và tìm kiếm cứu nạn, do Chủ tịch phường làm trưởng ban.",
            "Mỗi thành viên phụ trách một tổ dân phố, chịu trách nhiệm kiểm tra phương án sơ tán và danh sách hộ có người già sống một mình.",
        ],
        "themes": ["C2"],
        "hazards": [],
        "audiences": [],
    },
    {
        "type": "article",
        "title": "Trạm đo mực nước tự động trên sông Cái giúp cảnh báo sớm",
        "summary": "Số liệu mực nước cập nhật mỗi 10 phút, gửi cảnh báo khi vượt ngưỡng.",
        "body": [
            "Trạm đo tự động đo mực nước sông Cái mỗi 10 phút và gửi số liệu về phường qua mạng di động.",
            "Khi mực nước vượt ngưỡng báo động, hệ thống đề xuất bản tin cảnh báo để cán bộ kiểm tra và phát đi; dữ liệu được chia sẻ với tỉnh theo chuẩn mở.",
        ],
        "themes": ["C5"],
        "hazards": ["flood"],
        "audiences": [],
    },
    {
        "type": "article",
        "title": "Hợp tác quốc tế trong giảm nhẹ rủi ro thiên tai",
        "summary": "Việt Nam tham gia các cam kết toàn cầu về giảm nhẹ rủi ro thiên tai và thích ứng biến đổi khí hậu.",
        "body": [
            "Việt Nam thực hiện Khung Sendai về giảm nhẹ rủi ro thiên tai và trao đổi thông tin dự báo với các nước trong khu vực.",
            "Nhiều mô hình cộng đồng chủ động phòng chống thiên tai được học hỏi từ kinh nghiệm quốc tế và nhân rộng ở các địa phương.",
        ],
        "themes": ["C6"],
        "hazards": [],
        "audiences": [],
    },
    {
        "type": "policy",
        "title": "Kết luận 213-KL/TW: những điểm chính",
        "summary": "Tóm tắt Kết luận của Ban Bí thư về tiếp tục thực hiện Chỉ thị 42-CT/TW.",
        "document_number": "Kết luận 213-KL/TW",
        "issued_by": "Ban Bí thư Trung ương Đảng",
        "issued_on": "2025-11-21",
        "body": [
            "Kết luận tiếp tục thực hiện Chỉ thị 42-CT/TW ngày 24/3/2020 về tăng cường sự lãnh đạo của Đảng đối với công tác phòng ngừa, ứng phó, khắc phục hậu quả thiên tai.",
            "Yêu cầu chuyển mạnh từ ứng phó bị động sang chủ động phòng ngừa, lấy bảo vệ tính mạng người dân làm mục tiêu cao nhất, đề cao trách nhiệm người đứng đầu.",
        ],
        "themes": ["C1", "C2", "C3"],
        "hazards": [],
        "audiences": [],
    },
    {
        "type": "policy",
        "title": "Kế hoạch 54-KH/TU của Tỉnh ủy: việc phường cần làm",
        "summary": "Kế hoạch của tỉnh thực hiện Kết luận 213 và các nhiệm vụ giao cho cấp xã, phường.",
        "document_number": "Kế hoạch 54-KH/TU",
        "issued_by": "Tỉnh ủy",
        "issued_on": "2026-03-24",
        "body": [
            "Kế hoạch giao cấp ủy cơ sở tuyên truyền sâu rộng nội dung Kết luận 213 đến cán bộ, đảng viên và nhân dân.",
            "Các phường rà soát khu dân cư có nguy cơ sạt lở, ngập lụt, xây dựng phương án sơ tán và tổ chức diễn tập hằng năm.",
        ],
        "themes": ["C2", "C3"],
        "hazards": ["landslide", "flood"],
        "audiences": [],
    },
    {
        "type": "policy",
        "title": "Chính sách hỗ trợ người dân sau thiên tai",
        "summary": "Ai được hỗ trợ, mức hỗ trợ được xác định thế nào, thủ tục ở phường.",
        "document_number": "Chính sách hỗ trợ khắc phục hậu quả thiên tai",
        "issued_by": "Chính phủ và Ủy ban nhân dân tỉnh",
        "issued_on": None,
        "body": [
            "Hộ gia đình có người chết, bị thương, nhà ở bị sập, hư hỏng hoặc cây trồng, vật nuôi bị thiệt hại do thiên tai được xem xét hỗ trợ.",
            "Tổ dân phố lập danh sách thiệt hại, phường kiểm tra và công khai danh sách trước khi trình cấp có thẩm quyền quyết định.",
        ],
        "themes": ["C3"],
        "hazards": ["storm", "flood"],
        "audiences": ["farmers"],
    },
    {
        "type": "story",
        "title": "Anh Lò Văn Thắm cứu ba cháu nhỏ trong đêm lũ",
        "summary": "Một câu chuyện hư cấu về lòng dũng cảm của người dân tổ dân phố 3.",
        "people": "Anh Lò Văn Thắm (nhân vật hư cấu)",
        "place": "Tổ dân phố 3",
        "event_date": "2025-09-12",
        "body": [
            "Đêm nước sông Cái lên nhanh, anh Thắm nghe tiếng kêu cứu từ căn nhà bên cạnh, nơi ba cháu nhỏ ở với bà.",
            "Anh buộc dây vào gốc cây, lội nước đưa từng cháu lên chỗ cao rồi quay lại cõng bà ra an toàn. Phường đã khen thưởng anh.",
        ],
        "themes": ["C4"],
        "hazards": ["flood"],
        "audiences": ["children", "elderly"],
    },
    {
        "type": "story",
        "title": "Hội Phụ nữ phường nấu cơm cho người đi sơ tán",
        "summary": "Tinh thần tương thân tương ái trong những ngày mưa bão.",
        "people": "Chi hội Phụ nữ tổ dân phố 5",
        "place": "Nhà văn hóa tổ dân phố 5",
        "event_date": "2025-10-03",
        "body": [
            "Trong ba ngày mưa bão, các chị hội viên thay nhau nấu hơn 600 suất cơm cho bà con sơ tán tại nhà văn hóa.",
            "Nhiều gia đình góp gạo, rau và chăn ấm; các cháu đoàn viên giúp trông trẻ nhỏ.",
        ],
        "themes": ["C4"],
        "hazards": ["storm"],
        "audiences": [],
    },
    {
        "type": "loudspeaker",
        "title": "Chương trình loa: chuẩn bị ứng phó mùa mưa bão",
        "summary": "Phát trên loa phường vào sáng thứ Hai và thứ Năm trong tháng 6.",
        "target_duration_s": 120,
        "programme_text": (
            "Kính thưa bà con nhân dân trong phường.\n"
            "Mùa mưa bão năm nay dự báo có nhiều đợt mưa lớn. Ban Chỉ huy phòng, chống thiên tai phường đề nghị các hộ gia đình kiểm tra, chằng chống nhà cửa, tỉa cành cây gần nhà, chuẩn bị đèn pin, thuốc men và nước uống cho 3 ngày.\n"
            "Các hộ ở ven sông Cái và chân đồi Gò Mây theo dõi loa phường, tin nhắn cảnh báo và sẵn sàng sơ tán khi có lệnh. Khi gặp nạn, gọi số 112.\n"
            "Xin cảm ơn bà con đã lắng nghe."
        ),
        "themes": ["C4", "C1"],
        "hazards": ["storm", "flood", "landslide"],
        "audiences": ["elderly", "farmers"],
    },
    {
        "type": "loudspeaker",
        "title": "Chương trình loa: không tin, không chia sẻ tin đồn về thiên tai",
        "summary": "Đề nghị bà con chỉ theo dõi thông tin chính thức.",
        "target_duration_s": 90,
        "programme_text": (
            "Kính thưa bà con.\n"
            "Thời gian qua trên mạng xã hội xuất hiện một số tin sai sự thật về vỡ đập, về lũ lớn sắp đến, gây hoang mang.\n"
            "Đề nghị bà con chỉ tin thông báo chính thức của Ủy ban nhân dân phường và loa truyền thanh phường; không chia sẻ tin chưa được kiểm chứng. Thấy tin lạ, hãy báo cho tổ dân phố hoặc gửi lên cổng thông tin của phường."
        ),
        "themes": ["C7"],
        "hazards": [],
        "audiences": [],
    },
    {
        "type": "loudspeaker",
        "title": "Chương trình loa: phòng chống đuối nước cho trẻ em dịp hè",
        "summary": "Nhắc cha mẹ trông con khi trẻ nghỉ hè.",
        "target_duration_s": 90,
        "programme_text": (
            "Kính thưa các bậc cha mẹ.\n"
            "Hè đến, trẻ em nghỉ học thường rủ nhau ra sông, suối tắm. Đề nghị các gia đình quản lý con em, không để trẻ tắm sông, suối, ao hồ khi không có người lớn đi cùng.\n"
            "Đoàn Thanh niên phường mở lớp dạy bơi miễn phí từ ngày 15/6/2026 tại nhà văn hóa tổ dân phố 2."
        ),
        "themes": ["C4"],
        "hazards": ["flood"],
        "audiences": ["children"],
    },
    {
        "type": "infographic",
        "title": "Đồ họa: túi đồ khẩn cấp của gia đình",
        "summary": "Những thứ cần có trong túi đồ khẩn cấp, trên một trang.",
        "alt_text": "Túi đồ khẩn cấp gồm nước uống, lương khô, đèn pin, pin, thuốc, giấy tờ trong túi ni lông, áo mưa, còi.",
        "source": "Ban Chỉ huy phòng, chống thiên tai phường (minh họa)",
        "lines": [
            "TÚI ĐỒ KHẨN CẤP",
            "Nước uống 3 ngày",
            "Đèn pin, pin",
            "Thuốc, bộ sơ cứu",
            "Giấy tờ bọc ni lông",
            "Áo mưa, còi",
        ],
        "themes": ["C4"],
        "hazards": ["storm", "flood"],
        "audiences": ["elderly", "children"],
    },
    {
        "type": "infographic",
        "title": "Đồ họa: các mức báo động lũ trên sông Cái",
        "summary": "Báo động 1, 2, 3 và việc cần làm ở mỗi mức.",
        "alt_text": "Báo động 1: theo dõi tin tức. Báo động 2: kê cao đồ đạc, sẵn sàng sơ tán. Báo động 3: sơ tán khỏi vùng ven sông.",
        "source": "Ban Chỉ huy phòng, chống thiên tai phường (minh họa)",
        "lines": [
            "MỨC BÁO ĐỘNG LŨ",
            "BĐ1: theo dõi tin tức",
            "BĐ2: kê cao đồ đạc",
            "BĐ3: sơ tán ngay",
        ],
        "themes": ["C4", "C5"],
        "hazards": ["flood"],
        "audiences": ["farmers"],
    },
    {
        "type": "video",
        "title": "Video: diễn tập sơ tán dân vùng sạt lở Gò Mây",
        "summary": "Ghi lại buổi diễn tập sơ tán của phường (tư liệu minh họa).",
        "video_url": "https://example.org/pctt/dien-tap-go-may",
        "transcript": (
            "Buổi diễn tập bắt đầu khi loa phường phát tín hiệu báo động sạt lở đất.\n"
            "Các hộ ở chân đồi Gò Mây ngắt điện, mang túi đồ khẩn cấp và đi theo đường đã đánh dấu đến trường tiểu học.\n"
            "Đoàn viên thanh niên dùng cáng đưa người già và người khuyết tật đến điểm sơ tán trong 25 phút."
        ),
        "themes": ["C4", "C2"],
        "hazards": ["landslide"],
        "audiences": ["elderly", "disabilities"],
    },
]

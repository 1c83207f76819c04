"""Vietnamese text fragments and Hà Nội facts the demo stories draw on.

Pure data, no logic. The stories combine these lists at random to produce realistic voter
petitions (kiến nghị cử tri), complaints (đơn thư khiếu nại, tố cáo, kiến nghị, phản ánh),
agency answers and history notes for Hà Nội.

Placeholders (filled with ``str.format``):

- ``PETITION_TEMPLATES``: ``{place}`` (a ward/commune, e.g. "phường Kim Mã") and
  ``{street}`` (a bare street name, e.g. "Kim Mã"; templates write "đường"/"phố" themselves).
- ``COMPLAINT_TEMPLATES``: ``{street}``, ``{place}``, ``{agency}`` (an agency name).
- ``ANSWER_TEMPLATES``: ``{street}`` and ``{date}`` (a date already formatted dd/mm/yyyy).
- Every other entry holds plain text or reference-data codes, without placeholders.

Streets, wards, communes and agencies are real; all personal names are fictional
combinations, and every described case is invented for demonstration.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------
# Voter petitions (kiến nghị cử tri), keyed by field code (reference/hanoi.json)
# ---------------------------------------------------------------------------

PETITION_TEMPLATES: dict[str, list[str]] = {
    "land": [
        "Cử tri {place} kiến nghị Thành phố chỉ đạo đẩy nhanh việc cấp giấy chứng nhận quyền sử dụng đất cho các hộ dân đã sử dụng đất ổn định trước năm 1993 dọc đường {street}.",
        "Cử tri {place} đề nghị làm rõ ranh giới mốc giới giải phóng mặt bằng dự án mở rộng đường {street}, nhiều hộ dân chưa được bàn giao mốc trên thực địa.",
        "Cử tri {place} kiến nghị xem xét lại đơn giá bồi thường, hỗ trợ khi thu hồi đất nông nghiệp phục vụ dự án đường {street} vì thấp hơn giá thị trường.",
        "Cử tri {place} phản ánh nhiều khu đất xen kẹt giao cho địa phương quản lý đã bị lấn chiếm, đề nghị Thành phố sớm có phương án đấu giá hoặc sử dụng làm công trình công cộng.",
        "Cử tri {place} kiến nghị sớm bố trí đất tái định cư cho các hộ bị thu hồi đất ở để thực hiện dự án trên đường {street}, nhiều hộ đã phải thuê nhà tạm cư trên 5 năm.",
        "Cử tri {place} đề nghị Thành phố xử lý dứt điểm các dự án chậm triển khai, để đất hoang hóa nhiều năm tại khu vực giáp đường {street}.",
        "Cử tri {place} kiến nghị hướng dẫn thủ tục tách thửa, chuyển mục đích sử dụng đất vườn liền kề sang đất ở theo Luật Đất đai năm 2024 để người dân thực hiện thuận lợi.",
        "Cử tri {place} đề nghị giải quyết dứt điểm việc cấp giấy chứng nhận cho các căn hộ tại khu nhà tái định cư đường {street}, người dân đã nhận nhà hơn 10 năm.",
        "Cử tri {place} kiến nghị thu hồi diện tích đất công bị doanh nghiệp sử dụng sai mục đích tại số nhà mặt đường {street} để xây dựng nhà văn hóa tổ dân phố.",
        "Cử tri {place} đề nghị Thành phố công khai quy hoạch, kế hoạch sử dụng đất hằng năm tại trụ sở UBND cấp xã để nhân dân biết, giám sát.",
    ],
    "construction_urban_order": [
        "Cử tri {place} kiến nghị xử lý nghiêm các công trình xây dựng sai phép, vượt tầng trên đường {street}, gây mất mỹ quan đô thị.",
        "Cử tri {place} đề nghị Thành phố sớm cải tạo, xây dựng lại khu chung cư cũ xuống cấp nguy hiểm gần đường {street}.",
        "Cử tri {place} phản ánh tình trạng lấn chiếm vỉa hè, lòng đường để kinh doanh, trông giữ xe trái phép trên phố {street}, đề nghị lập lại trật tự đô thị.",
        "Cử tri {place} kiến nghị hoàn thiện hạ tầng kỹ thuật khu đô thị mới giáp đường {street}; chủ đầu tư chưa bàn giao hạ tầng cho địa phương quản lý.",
        "Cử tri {place} đề nghị xử lý công trình xây dựng trên đường {street} không che chắn, làm rơi vãi vật liệu, gây nứt lún nhà dân liền kề.",
        "Cử tri {place} kiến nghị tháo dỡ các biển quảng cáo tấm lớn dựng trái phép trên nóc nhà dân dọc đường {street}, tiềm ẩn nguy cơ mất an toàn khi mưa bão.",
        "Cử tri {place} đề nghị Thành phố chỉ đạo ngầm hóa hệ thống cáp viễn thông, dây điện chằng chịt trên phố {street}.",
        "Cử tri {place} kiến nghị sớm điều chỉnh quy hoạch chi tiết khu vực đường {street}; quy hoạch treo nhiều năm khiến người dân không được cấp phép xây dựng, sửa chữa nhà.",
        "Cử tri {place} phản ánh việc xây dựng nhà ở riêng lẻ trên đất nông nghiệp tại khu vực cuối đường {street} chưa được xử lý dứt điểm.",
        "Cử tri {place} đề nghị kiểm tra chất lượng công trình nhà văn hóa mới xây trên đường {street}, đã xuất hiện thấm dột, bong tróc sau một năm sử dụng.",
    ],
    "transport": [
        "Cử tri {place} kiến nghị Thành phố sớm triển khai dự án mở rộng đường {street}, thường xuyên ùn tắc vào giờ cao điểm.",
        "Cử tri {place} đề nghị lắp đặt đèn tín hiệu giao thông tại nút giao đường {street}, nơi đã xảy ra nhiều vụ tai nạn.",
        "Cử tri {place} kiến nghị sửa chữa mặt đường {street} bị hư hỏng, xuất hiện nhiều ổ gà, gây mất an toàn cho người tham gia giao thông.",
        "Cử tri {place} đề nghị bổ sung tuyến xe buýt kết nối khu dân cư {place} với trung tâm quận và ga đường sắt đô thị gần nhất.",
        "Cử tri {place} kiến nghị đẩy nhanh tiến độ dự án cải tạo đường {street}, công trình thi công kéo dài gây bụi bẩn, ảnh hưởng sinh hoạt và kinh doanh của nhân dân.",
        "Cử tri {place} đề nghị bố trí điểm trông giữ xe công cộng gần đường {street} để giảm tình trạng đỗ xe dưới lòng đường.",
        "Cử tri {place} kiến nghị lắp đặt gờ giảm tốc, biển cảnh báo trước cổng trường học trên đường {street}.",
        "Cử tri {place} đề nghị Thành phố sớm đầu tư cầu vượt cho người đi bộ qua đường {street}, người dân và học sinh qua đường rất nguy hiểm.",
        "Cử tri {place} kiến nghị bổ sung hệ thống chiếu sáng công cộng trên tuyến đường {street}, ban đêm tối, tiềm ẩn nguy cơ tai nạn và mất an ninh.",
        "Cử tri {place} đề nghị điều chỉnh tổ chức giao thông tại khu vực đường {street}, việc cấm rẽ trái mới áp dụng khiến người dân phải đi vòng xa.",
    ],
    "environment": [
        "Cử tri {place} kiến nghị xử lý tình trạng đổ trộm phế thải xây dựng ven đường {street}, gây ô nhiễm môi trường.",
        "Cử tri {place} phản ánh mùi hôi thối từ khu xử lý rác thải ảnh hưởng đến sức khỏe người dân, đề nghị Thành phố có biện pháp xử lý dứt điểm.",
        "Cử tri {place} đề nghị tăng tần suất thu gom rác thải sinh hoạt trên phố {street}, rác tồn đọng qua đêm gây mất vệ sinh.",
        "Cử tri {place} kiến nghị kiểm tra, xử lý các cơ sở sản xuất gây tiếng ồn, khói bụi trong khu dân cư gần đường {street}.",
        "Cử tri {place} đề nghị Thành phố sớm cải tạo, làm sạch ao hồ trong khu dân cư {place}, nước tù đọng, bốc mùi, phát sinh muỗi.",
        "Cử tri {place} kiến nghị xử lý ô nhiễm không khí do đốt rơm rạ, đốt rác sau thu hoạch tại các cánh đồng giáp đường {street}.",
        "Cử tri {place} đề nghị trồng bổ sung, chăm sóc cây xanh trên vỉa hè đường {street}; nhiều cây bị chết khô chưa được thay thế.",
        "Cử tri {place} phản ánh nước thải chưa qua xử lý của các làng nghề xả thẳng ra kênh mương, đề nghị đầu tư trạm xử lý nước thải tập trung.",
        "Cử tri {place} kiến nghị di dời các điểm tập kết rác tạm trên đường {street} ra khỏi khu dân cư và cổng trường học.",
        "Cử tri {place} đề nghị kiểm tra việc cắt tỉa cây xanh trên phố {street}, nhiều cành cây mục có nguy cơ gãy đổ khi mưa bão.",
    ],
    "water_drainage": [
        "Cử tri {place} kiến nghị Thành phố sớm cải tạo hệ thống thoát nước trên đường {street}, thường xuyên ngập úng khi mưa lớn.",
        "Cử tri {place} đề nghị sớm đưa nước sạch về các thôn, xóm của {place}, người dân vẫn phải dùng nước giếng khoan bị nhiễm asen.",
        "Cử tri {place} phản ánh nước sinh hoạt cung cấp cho khu vực đường {street} thường xuyên yếu, mất nước vào mùa hè, đề nghị đơn vị cấp nước khắc phục.",
        "Cử tri {place} kiến nghị nạo vét mương thoát nước dọc đường {street}, bùn đất và rác thải ùn ứ gây ngập và ô nhiễm.",
        "Cử tri {place} đề nghị kiểm tra chất lượng nước sạch cấp cho khu chung cư trên đường {street}, nước có mùi lạ và cặn bẩn.",
        "Cử tri {place} kiến nghị thay thế các nắp ga, hố ga hư hỏng trên phố {street}, gây nguy hiểm cho người đi đường.",
        "Cử tri {place} đề nghị đầu tư trạm bơm tiêu úng cho khu vực {place}, mỗi mùa mưa hàng trăm hộ dân bị ngập.",
        "Cử tri {place} kiến nghị đấu nối hệ thống thoát nước của khu đô thị mới vào hệ thống chung, tránh tình trạng nước thải tràn sang khu dân cư cũ dọc đường {street}.",
        "Cử tri {place} đề nghị làm rõ lộ trình cấp nước sạch cho {place} theo cam kết của nhà đầu tư; tuyến ống trên đường {street} đã thi công xong nhưng chưa có nước.",
        "Cử tri {place} kiến nghị xem xét giá nước sạch tại khu vực nông thôn, hiện cao hơn giá nước tại khu vực nội thành.",
    ],
    "health": [
        "Cử tri {place} kiến nghị đầu tư cải tạo, nâng cấp trạm y tế {place}, cơ sở vật chất xuống cấp, thiếu trang thiết bị.",
        "Cử tri {place} đề nghị Thành phố có giải pháp giảm quá tải tại bệnh viện tuyến thành phố, người bệnh phải chờ đợi lâu khi khám bảo hiểm y tế.",
        "Cử tri {place} phản ánh tình trạng thiếu thuốc, vật tư y tế tại các cơ sở khám chữa bệnh bảo hiểm y tế, người bệnh phải tự mua ngoài.",
        "Cử tri {place} kiến nghị tăng cường kiểm tra an toàn thực phẩm đối với các cơ sở kinh doanh ăn uống trên phố {street}.",
        "Cử tri {place} đề nghị bổ sung bác sĩ, nhân viên y tế cho trạm y tế xã, đáp ứng nhu cầu khám chữa bệnh ban đầu của nhân dân.",
        "Cử tri {place} kiến nghị kiểm tra, xử lý các phòng khám tư nhân trên đường {street} quảng cáo sai sự thật, hoạt động không đúng phạm vi chuyên môn.",
        "Cử tri {place} đề nghị Thành phố tổ chức khám sức khỏe định kỳ miễn phí cho người cao tuổi, người có công với cách mạng tại địa phương.",
        "Cử tri {place} kiến nghị tăng cường công tác phòng chống dịch sốt xuất huyết, phun thuốc diệt muỗi tại các khu dân cư đông đúc quanh đường {street}.",
        "Cử tri {place} đề nghị sớm hoàn thành dự án xây dựng bệnh viện đa khoa khu vực, đã khởi công nhiều năm nhưng chưa đưa vào sử dụng.",
    ],
    "education": [
        "Cử tri {place} kiến nghị Thành phố sớm xây dựng thêm trường mầm non công lập tại {place}, số trẻ trong độ tuổi tăng nhanh, các trường hiện có quá tải.",
        "Cử tri {place} đề nghị cải tạo, nâng cấp trường tiểu học trên đường {street}, nhiều phòng học xuống cấp, thấm dột.",
        "Cử tri {place} kiến nghị công khai, minh bạch các khoản thu đầu năm học tại các trường công lập, chấm dứt tình trạng lạm thu.",
        "Cử tri {place} đề nghị có giải pháp giảm sĩ số học sinh trên lớp tại các trường trung học cơ sở, hiện có lớp trên 50 học sinh.",
        "Cử tri {place} kiến nghị mở rộng diện tích trường trung học cơ sở {place}, thiếu sân chơi, bãi tập và nhà đa năng.",
        "Cử tri {place} đề nghị Thành phố xem xét tăng chỉ tiêu tuyển sinh lớp 10 công lập tại khu vực tuyển sinh có đông dân cư.",
        "Cử tri {place} kiến nghị bảo đảm an toàn giao thông và trật tự trước cổng trường học trên đường {street} vào giờ tan học.",
        "Cử tri {place} đề nghị sớm giao đất và bố trí vốn xây dựng trường học theo quy hoạch tại khu đô thị giáp đường {street}.",
        "Cử tri {place} kiến nghị giải quyết chế độ cho giáo viên hợp đồng tại các trường mầm non công lập, bảo đảm thu nhập ổn định.",
    ],
    "social_policy": [
        "Cử tri {place} kiến nghị xem xét giải quyết chế độ chính sách cho người có công với cách mạng còn tồn đọng hồ sơ tại địa phương.",
        "Cử tri {place} đề nghị Thành phố nâng mức trợ cấp xã hội hằng tháng cho người cao tuổi, người khuyết tật phù hợp với mức sống hiện nay.",
        "Cử tri {place} kiến nghị đơn giản hóa thủ tục xác nhận hộ nghèo, hộ cận nghèo để người dân sớm được hưởng chính sách hỗ trợ.",
        "Cử tri {place} đề nghị có chính sách hỗ trợ chuyển đổi nghề, giải quyết việc làm cho lao động bị thu hồi đất nông nghiệp.",
        "Cử tri {place} kiến nghị giải quyết dứt điểm việc chi trả chế độ cho các đối tượng bảo trợ xã hội bị chậm nhiều tháng.",
        "Cử tri {place} đề nghị Thành phố hỗ trợ kinh phí sửa chữa nhà ở cho gia đình chính sách có hoàn cảnh khó khăn tại {place}.",
        "Cử tri {place} kiến nghị quan tâm đầu tư xây dựng điểm vui chơi, sinh hoạt cộng đồng cho người cao tuổi và trẻ em gần đường {street}.",
        "Cử tri {place} đề nghị làm rõ việc chậm trả sổ bảo hiểm xã hội cho người lao động của một số doanh nghiệp nợ đóng bảo hiểm trên địa bàn.",
        "Cử tri {place} kiến nghị tu bổ, tôn tạo nghĩa trang liệt sĩ và nhà bia ghi tên liệt sĩ của địa phương đã xuống cấp.",
    ],
    "security_order": [
        "Cử tri {place} kiến nghị tăng cường tuần tra, kiểm soát, xử lý tình trạng đua xe trái phép trên đường {street} vào ban đêm.",
        "Cử tri {place} đề nghị lắp đặt camera an ninh tại các ngõ xóm, nút giao trên đường {street} để phòng ngừa tội phạm trộm cắp.",
        "Cử tri {place} phản ánh tình trạng cho vay nặng lãi, dán quảng cáo tín dụng đen trên cột điện, tường nhà dọc phố {street}.",
        "Cử tri {place} kiến nghị kiểm tra, xử lý các quán karaoke, quán bar hoạt động quá giờ quy định, gây mất an ninh trật tự.",
        "Cử tri {place} đề nghị tăng cường kiểm tra an toàn phòng cháy, chữa cháy tại các chung cư mini, nhà trọ trên địa bàn {place}.",
        "Cử tri {place} kiến nghị xử lý nghiêm tình trạng tụ tập thanh thiếu niên gây rối trật tự công cộng tại khu vực vườn hoa gần đường {street}.",
        "Cử tri {place} đề nghị cơ quan công an tăng cường tuyên truyền, cảnh báo các thủ đoạn lừa đảo qua điện thoại, mạng xã hội nhằm vào người cao tuổi.",
        "Cử tri {place} kiến nghị củng cố, hỗ trợ kinh phí cho lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở.",
        "Cử tri {place} phản ánh tình trạng xe tải trọng lớn chở vật liệu chạy quá tốc độ trên đường {street}, đề nghị kiểm tra, xử lý.",
    ],
    "other": [
        "Cử tri {place} kiến nghị Thành phố đẩy mạnh cải cách thủ tục hành chính, giảm thời gian giải quyết hồ sơ trên cổng dịch vụ công.",
        "Cử tri {place} đề nghị đầu tư xây dựng nhà văn hóa tổ dân phố, hiện phải mượn địa điểm để sinh hoạt cộng đồng.",
        "Cử tri {place} kiến nghị tu bổ, tôn tạo di tích lịch sử văn hóa cấp thành phố trên địa bàn {place} đang xuống cấp.",
        "Cử tri {place} đề nghị Thành phố có chính sách hỗ trợ người dân sắp xếp nơi ở khi thực hiện sắp xếp đơn vị hành chính cấp xã.",
        "Cử tri {place} kiến nghị xây dựng khu vui chơi, sân thể thao công cộng tại khu đất trống giáp đường {street}.",
        "Cử tri {place} đề nghị cải thiện chất lượng sóng điện thoại, internet tại các thôn vùng ven của {place}.",
        "Cử tri {place} kiến nghị kiểm tra việc quản lý, kinh doanh tại chợ dân sinh trên đường {street}, tiểu thương phản ánh tiền thuê ki-ốt tăng cao.",
        "Cử tri {place} đề nghị trả lời rõ những kiến nghị đã gửi từ các kỳ họp trước nhưng đến nay chưa được giải quyết dứt điểm.",
        "Cử tri {place} kiến nghị hỗ trợ phát triển sản phẩm làng nghề truyền thống, xây dựng thương hiệu và điểm giới thiệu sản phẩm.",
    ],
}

# ---------------------------------------------------------------------------
# Complaints (đơn thư), keyed by complaint kind
# ---------------------------------------------------------------------------

COMPLAINT_TEMPLATES: dict[str, list[str]] = {
    "complaint": [
        "Khiếu nại quyết định thu hồi đất của {agency} đối với thửa đất của gia đình tại {place}, thuộc dự án mở rộng đường {street}; cho rằng diện tích thu hồi không đúng với hiện trạng sử dụng.",
        "Khiếu nại phương án bồi thường, hỗ trợ, tái định cư do {agency} phê duyệt đối với hộ gia đình tại {place} khi thực hiện dự án đường {street}.",
        "Khiếu nại quyết định xử phạt vi phạm hành chính trong lĩnh vực xây dựng của {agency} đối với công trình nhà ở tại số nhà trên đường {street}, {place}.",
        "Khiếu nại việc {agency} không cấp giấy chứng nhận quyền sử dụng đất cho gia đình đã sử dụng đất ổn định, không tranh chấp tại {place}.",
        "Khiếu nại quyết định cưỡng chế tháo dỡ công trình của {agency} tại {place}; người khiếu nại cho rằng công trình xây dựng trước thời điểm có quy hoạch đường {street}.",
        "Khiếu nại việc {agency} chậm chi trả tiền bồi thường giải phóng mặt bằng dự án đường {street} dù gia đình đã bàn giao mặt bằng từ lâu.",
        "Khiếu nại lần hai đối với quyết định giải quyết khiếu nại lần đầu của {agency} về việc xác định nguồn gốc đất tại {place}.",
        "Khiếu nại quyết định kỷ luật cán bộ của {agency}; người khiếu nại cho rằng việc xem xét kỷ luật không đúng trình tự, thủ tục.",
        "Khiếu nại việc {agency} không xem xét hỗ trợ tái định cư cho hộ gia đình có nhiều thế hệ cùng sinh sống tại {place} khi thu hồi nhà trên đường {street}.",
        "Khiếu nại việc {agency} từ chối giải quyết chế độ trợ cấp xã hội cho người khuyết tật đang cư trú tại {place}.",
    ],
    "denunciation": [
        "Tố cáo cán bộ địa chính {place} có dấu hiệu nhận tiền để hợp thức hóa hồ sơ cấp giấy chứng nhận quyền sử dụng đất cho một số hộ dân.",
        "Tố cáo việc buông lỏng quản lý để xảy ra xây dựng trái phép trên đất nông nghiệp tại {place}, giáp đường {street}; đề nghị {agency} xác minh, xử lý trách nhiệm.",
        "Tố cáo chủ đầu tư công trình trên đường {street} xây dựng vượt số tầng được cấp phép, cán bộ quản lý trật tự xây dựng {place} biết nhưng không xử lý.",
        "Tố cáo sai phạm trong việc bình xét hộ nghèo, hộ cận nghèo tại {place}; một số hộ có điều kiện kinh tế vẫn được đưa vào danh sách.",
        "Tố cáo việc lập hồ sơ khống để nhận tiền hỗ trợ giải phóng mặt bằng dự án đường {street} tại {place}; đề nghị {agency} làm rõ.",
        "Tố cáo lãnh đạo {place} sử dụng đất công sai mục đích, cho thuê đất công ích không qua đấu giá.",
        "Tố cáo việc thu các khoản ngoài quy định đối với học sinh tại một trường công lập trên đường {street}, {place}.",
        "Tố cáo cán bộ {agency} có biểu hiện nhũng nhiễu, gây khó khăn khi người dân thực hiện thủ tục hành chính.",
        "Tố cáo doanh nghiệp khai thác đất trái phép tại bãi ven sông thuộc {place}, có dấu hiệu được cán bộ địa phương bao che.",
        "Tố cáo sai phạm trong quản lý, sử dụng kinh phí xây dựng nhà văn hóa tại {place}; đề nghị {agency} thanh tra.",
    ],
    "reflection": [
        "Phản ánh tình trạng ngập úng kéo dài trên đường {street}, {place} mỗi khi mưa lớn; đề nghị {agency} có giải pháp khắc phục.",
        "Kiến nghị {agency} xem xét giải quyết hồ sơ cấp giấy chứng nhận quyền sử dụng đất đã nộp quá hạn nhưng chưa có kết quả.",
        "Phản ánh công trình xây dựng trên đường {street} gây lún nứt nhà liền kề tại {place}, chủ đầu tư chưa thỏa thuận bồi thường.",
        "Phản ánh tình trạng lấn chiếm vỉa hè, lòng đường để kinh doanh trên phố {street}, {place}; đề nghị {agency} xử lý.",
        "Kiến nghị {agency} kiểm tra hoạt động của cơ sở sản xuất gây tiếng ồn, khói bụi trong khu dân cư {place}.",
        "Phản ánh việc mất nước sinh hoạt kéo dài tại khu vực đường {street}, {place}; đề nghị {agency} khắc phục.",
        "Kiến nghị {agency} sớm bàn giao nhà tái định cư cho các hộ dân thuộc dự án đường {street} đã tạm cư nhiều năm.",
        "Phản ánh rác thải tồn đọng tại điểm tập kết trên đường {street}, {place}, gây ô nhiễm; đề nghị {agency} chỉ đạo thu gom.",
        "Phản ánh việc chậm giải quyết chế độ cho thân nhân người có công tại {place}; hồ sơ đã nộp cho {agency} hơn sáu tháng.",
        "Kiến nghị {agency} lắp đặt đèn tín hiệu, gờ giảm tốc tại nút giao đường {street} trước cổng trường học.",
    ],
}

# ---------------------------------------------------------------------------
# Places
# ---------------------------------------------------------------------------

# Bare street names; templates prepend "đường" or "phố".
STREETS: list[str] = [
    "Kim Mã", "Đội Cấn", "Liễu Giai", "Hoàng Hoa Thám", "Thụy Khuê", "Văn Cao",
    "Nguyễn Chí Thanh", "Láng", "Tây Sơn", "Xã Đàn", "Đê La Thành", "Giải Phóng",
    "Trường Chinh", "Nguyễn Trãi", "Khuất Duy Tiến", "Lê Văn Lương", "Tố Hữu",
    "Trần Duy Hưng", "Cầu Giấy", "Xuân Thủy", "Hồ Tùng Mậu", "Hoàng Quốc Việt",
    "Phạm Văn Đồng", "Phạm Hùng", "Lạc Long Quân", "Âu Cơ", "Nghi Tàm",
    "Nguyễn Văn Cừ", "Ngọc Lâm", "Nguyễn Văn Linh", "Minh Khai", "Kim Ngưu",
    "Tam Trinh", "Lĩnh Nam", "Nguyễn Xiển", "Bạch Mai", "Đại La", "Phố Huế",
    "Hàng Bông", "Tràng Tiền", "Lý Thường Kiệt", "Quang Trung", "Phùng Hưng",
    "Lê Trọng Tấn", "Mễ Trì", "Cổ Nhuế", "Võ Chí Công", "Ngọc Hồi",
]

# Wards and communes by district (unit code), so an item's place lies in its district;
# districts without one here fall back to the district's own name.
PLACES_BY_DISTRICT: dict[str, tuple[str, ...]] = {
    "ba-dinh": ("phường Phúc Xá", "phường Kim Mã", "phường Ngọc Hà", "phường Cống Vị"),
    "hoan-kiem": ("phường Hàng Bạc", "phường Tràng Tiền"),
    "tay-ho": ("phường Quảng An", "phường Thụy Khuê"),
    "long-bien": ("phường Bồ Đề", "phường Ngọc Thụy"),
    "cau-giay": ("phường Dịch Vọng", "phường Nghĩa Đô", "phường Mai Dịch"),
    "dong-da": ("phường Văn Miếu", "phường Láng Thượng", "phường Kim Liên", "phường Trung Tự"),
    "hai-ba-trung": ("phường Bạch Mai", "phường Vĩnh Tuy"),
    "hoang-mai": ("phường Tương Mai", "phường Định Công", "phường Hoàng Liệt"),
    "thanh-xuan": ("phường Khương Trung", "phường Nhân Chính"),
    "nam-tu-liem": ("phường Mễ Trì", "phường Tây Mỗ"),
    "bac-tu-liem": ("phường Xuân Đỉnh", "phường Phú Diễn"),
    "ha-dong": ("phường Văn Quán", "phường Mộ Lao", "phường Yên Nghĩa"),
    "son-tay": ("phường Trung Hưng",),
    "dong-anh": ("xã Tiên Dương", "xã Uy Nỗ", "xã Kim Chung"),
    "gia-lam": ("xã Bát Tràng", "xã Đa Tốn"),
    "thanh-tri": ("xã Tả Thanh Oai",),
    "me-linh": ("xã Tiền Phong",),
    "ba-vi": ("xã Tản Lĩnh",),
    "hoai-duc": ("xã Vân Canh",),
    "quoc-oai": ("xã Sài Sơn",),
    "thach-that": ("xã Bình Yên",),
    "thuong-tin": ("xã Vạn Điểm",),
    "my-duc": ("xã Hương Sơn",),
    "soc-son": ("xã Phù Linh",),
    "dan-phuong": ("xã Liên Trung",),
    "ung-hoa": ("thị trấn Vân Đình",),
}
# How a unit's kind is written before its name ("quận Ba Đình").
UNIT_KIND_NAMES: dict[str, str] = {"quan": "quận", "huyen": "huyện", "thi_xa": "thị xã"}
# Units where the complaints law allows longer limits (remote areas).
REMOTE_UNITS: frozenset[str] = frozenset({
    "ba-vi", "my-duc", "soc-son", "ung-hoa", "phu-xuyen", "thach-that", "quoc-oai", "chuong-my",
})

MEETING_PLACES: list[str] = [
    "Nhà văn hóa phường Phúc Xá",
    "Hội trường UBND phường Kim Mã",
    "Nhà văn hóa tổ dân phố số 5 phường Dịch Vọng",
    "Hội trường UBND quận Cầu Giấy",
    "Trung tâm Văn hóa - Thông tin và Thể thao quận Đống Đa",
    "Nhà văn hóa phường Kim Liên",
    "Hội trường UBND phường Bồ Đề",
    "Nhà văn hóa khu đô thị Định Công",
    "Hội trường UBND quận Nam Từ Liêm",
    "Nhà văn hóa phường Văn Quán",
    "Hội trường UBND xã Tiên Dương",
    "Nhà văn hóa thôn Bát Tràng",
    "Hội trường UBND huyện Gia Lâm",
    "Hội trường UBND xã Tản Lĩnh",
    "Nhà văn hóa xã Vân Canh",
    "Hội trường UBND thị xã Sơn Tây",
    "Hội trường UBND huyện Sóc Sơn",
    "Nhà văn hóa thị trấn Vân Đình",
]

# ---------------------------------------------------------------------------
# People (fictional combinations)
# ---------------------------------------------------------------------------

FAMILY_NAMES: list[str] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Đào", "Đinh", "Lương", "Trịnh", "Mai", "Tạ",
    "Cao", "Kiều", "Khuất", "Nghiêm", "Chu", "Lưu", "Tô", "Vương",
]

MIDDLE_NAMES: list[str] = [
    "Văn", "Thị", "Đức", "Minh", "Hữu", "Quang", "Thanh", "Ngọc", "Xuân", "Thu",
    "Hồng", "Kim", "Bá", "Công", "Đình", "Tiến", "Mạnh", "Thế", "Anh", "Phương",
    "Hải", "Việt", "Trọng", "Khánh",
]

GIVEN_NAMES: list[str] = [
    "An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hiền", "Hoa", "Hùng",
    "Hương", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Phong", "Phúc",
    "Quân", "Sơn", "Thảo", "Thắng", "Thủy", "Trang", "Tuấn", "Yến", "Hằng", "Khánh",
    "Đạt", "Giang",
]

# ---------------------------------------------------------------------------
# Agency answers, keyed by answer outcome
# ---------------------------------------------------------------------------

ANSWER_TEMPLATES: dict[str, list[str]] = {
    "resolved": [
        "Đơn vị đã hoàn thành việc sửa chữa, khắc phục trên đường {street} ngày {date}; đã thông báo kết quả tới UBND cấp xã và cử tri.",
        "Ngày {date}, đơn vị đã tổ chức kiểm tra, xử lý dứt điểm nội dung cử tri kiến nghị; kết quả đã được công khai tại trụ sở UBND cấp xã.",
        "Công trình cải tạo hệ thống thoát nước đường {street} đã hoàn thành, nghiệm thu và đưa vào sử dụng từ ngày {date}; khu vực không còn ngập úng.",
        "Các hồ sơ tồn đọng đã được giải quyết xong, giấy tờ đã trao cho người dân ngày {date}.",
        "Đã lập biên bản, xử phạt vi phạm hành chính và buộc khắc phục hậu quả; đối tượng vi phạm đã tự tháo dỡ phần công trình sai phép trước ngày {date}.",
        "Kiến nghị đã được tiếp thu; tuyến xe buýt bổ sung đã chính thức vận hành từ ngày {date}.",
    ],
    "being_resolved": [
        "Dự án cải tạo đường {street} đã được phê duyệt chủ trương đầu tư; dự kiến khởi công trong quý tới và hoàn thành trước ngày {date}.",
        "Đơn vị đang phối hợp với UBND cấp huyện rà soát hồ sơ, dự kiến hoàn thành và báo cáo kết quả trước ngày {date}.",
        "Nội dung kiến nghị đã được đưa vào kế hoạch đầu tư công trung hạn; đang lập báo cáo nghiên cứu khả thi, dự kiến trình phê duyệt trước ngày {date}.",
        "Đơn vị thi công đang khắc phục các hạng mục còn tồn tại trên đường {street}; cam kết hoàn thành trước ngày {date}.",
        "Đã thành lập đoàn kiểm tra liên ngành; kết luận kiểm tra sẽ được ban hành trước ngày {date} và gửi tới tổ đại biểu.",
        "Đang thực hiện công tác giải phóng mặt bằng, đã bàn giao được khoảng 70% diện tích; phấn đấu bàn giao toàn bộ mặt bằng trước ngày {date}.",
    ],
    "explained": [
        "Nội dung cử tri kiến nghị thuộc thẩm quyền của Trung ương; Thành phố đã có văn bản đề xuất với bộ, ngành liên quan và sẽ thông tin kết quả khi có ý kiến.",
        "Việc điều chỉnh tổ chức giao thông trên đường {street} được thực hiện theo phương án đã được thẩm định nhằm giảm ùn tắc; đơn vị sẽ tiếp tục theo dõi, đánh giá hiệu quả.",
        "Theo quy định hiện hành, trường hợp cử tri phản ánh không đủ điều kiện để xem xét; đơn vị đã hướng dẫn người dân bổ sung hồ sơ theo quy định.",
        "Mức thu, chi đã được thực hiện đúng quy định của Hội đồng nhân dân Thành phố; đơn vị đã giải thích cụ thể tại buổi tiếp xúc cử tri ngày {date}.",
        "Khu vực đường {street} đã có quy hoạch được phê duyệt; đơn vị cung cấp thông tin quy hoạch để cử tri biết và thực hiện.",
        "Kiến nghị đã được trả lời tại văn bản gửi kỳ họp trước; đến nay chưa có căn cứ mới để xem xét lại.",
    ],
    "not_resolved": [
        "Do chưa được bố trí vốn đầu tư, Thành phố chưa thể triển khai cải tạo đường {street} trong năm nay; sẽ xem xét đưa vào kế hoạch giai đoạn tiếp theo.",
        "Vướng mắc trong công tác giải phóng mặt bằng chưa được tháo gỡ nên dự án chưa thể tiếp tục triển khai.",
        "Đơn vị đã báo cáo UBND Thành phố xin ý kiến chỉ đạo; đến ngày {date} chưa có phương án giải quyết.",
        "Quỹ đất tái định cư trên địa bàn chưa đáp ứng, chưa thể bố trí tái định cư cho các hộ dân theo kiến nghị.",
        "Nội dung kiến nghị liên quan đến nhiều sở, ngành; đơn vị chủ trì chưa thống nhất được phương án với các đơn vị phối hợp.",
    ],
}

# ---------------------------------------------------------------------------
# History notes and reasons (plain text, no placeholders)
# ---------------------------------------------------------------------------

PROGRESS_NOTES: list[str] = [
    "Đã tiếp nhận văn bản giao việc, phân công phòng chuyên môn chủ trì tham mưu.",
    "Đã tổ chức kiểm tra hiện trạng, lập biên bản làm việc với UBND cấp xã.",
    "Đã có văn bản đề nghị các sở, ngành liên quan phối hợp cung cấp thông tin.",
    "Đã làm việc trực tiếp với cử tri, ghi nhận thêm ý kiến của người dân.",
    "Đang rà soát hồ sơ, tài liệu liên quan đến nguồn gốc sử dụng đất.",
    "Đã trình UBND Thành phố phê duyệt chủ trương đầu tư.",
    "Đã lựa chọn nhà thầu, dự kiến khởi công trong tháng tới.",
    "Đơn vị thi công đã tập kết vật tư, thiết bị tại hiện trường.",
    "Đã tổ chức đối thoại với các hộ dân liên quan.",
    "Đã báo cáo xin ý kiến lãnh đạo UBND Thành phố về phương án xử lý.",
    "Đang chờ kết quả thẩm định của cơ quan chuyên môn.",
    "Đã gửi dự thảo văn bản trả lời để Văn phòng góp ý.",
]

RETURN_REASONS: list[str] = [
    "Văn bản trả lời chưa đúng trọng tâm nội dung cử tri kiến nghị.",
    "Chưa nêu rõ lộ trình và thời hạn hoàn thành cụ thể.",
    "Tổ đại biểu cho biết cử tri chưa đồng tình với kết quả trả lời.",
    "Chưa có kết quả kiểm tra thực địa kèm theo.",
    "Văn bản trả lời không do lãnh đạo đơn vị ký, đề nghị hoàn thiện lại.",
    "Nội dung trả lời trùng với văn bản kỳ họp trước, chưa cập nhật kết quả mới.",
    "Chưa làm rõ trách nhiệm của đơn vị phối hợp.",
]

CLASSIFY_REASONS: dict[str, list[str]] = {
    "forward": [
        "Nội dung đơn không thuộc thẩm quyền giải quyết, chuyển cơ quan có thẩm quyền.",
        "Nội dung thuộc thẩm quyền UBND cấp huyện nơi có đất.",
        "Đơn tố cáo hành vi vi phạm pháp luật về trật tự, an toàn xã hội, chuyển cơ quan công an.",
        "Nội dung liên quan đến hoạt động của doanh nghiệp cấp nước, chuyển đơn vị quản lý để xử lý.",
        "Nội dung thuộc thẩm quyền của bộ, ngành Trung ương.",
    ],
    "return": [
        "Đơn khiếu nại đã quá thời hiệu theo quy định, hướng dẫn người khiếu nại.",
        "Đơn chưa ghi rõ họ tên, địa chỉ, chữ ký của người gửi; hướng dẫn bổ sung.",
        "Vụ việc đang được Tòa án thụ lý giải quyết; hướng dẫn người gửi đơn theo dõi.",
        "Đơn có nhiều nội dung khác nhau, hướng dẫn tách đơn gửi đúng cơ quan có thẩm quyền.",
        "Khiếu nại quyết định đã có hiệu lực pháp luật, hướng dẫn thực hiện theo quy định.",
    ],
    "file": [
        "Đơn trùng nội dung đã được giải quyết, không có tình tiết mới.",
        "Đơn nặc danh, nội dung không cụ thể, không có cơ sở để kiểm tra.",
        "Đơn gửi đồng thời nhiều nơi, đã được cơ quan có thẩm quyền thụ lý.",
        "Người gửi đơn đã rút đơn.",
        "Đơn có nội dung xúc phạm, không rõ yêu cầu cụ thể.",
    ],
}

EXTENSION_REASONS: list[str] = [
    "Vụ việc phức tạp, cần xác minh tại nhiều địa điểm.",
    "Cần chờ kết quả giám định, trưng cầu ý kiến của cơ quan chuyên môn.",
    "Phải lấy ý kiến của các bộ, ngành Trung ương.",
    "Cần bổ sung hồ sơ nguồn gốc đất từ cơ quan lưu trữ.",
    "Dự án phải điều chỉnh thiết kế, bổ sung vốn đầu tư.",
    "Thời tiết mưa kéo dài, không đủ điều kiện thi công.",
]

WITHDRAW_REASONS: list[str] = [
    "Người khiếu nại có đơn xin rút toàn bộ nội dung khiếu nại.",
    "Các bên đã tự hòa giải thành tại cơ sở.",
    "Nội dung kiến nghị đã được giải quyết trước khi giao việc.",
    "Cử tri rút kiến nghị sau khi được giải thích tại buổi tiếp xúc.",
    "Người tố cáo rút tố cáo và không có dấu hiệu vi phạm cần xử lý.",
]

# ---------------------------------------------------------------------------
# Who answers: agencies by field, and the field a đơn's words point to
# ---------------------------------------------------------------------------

# Agencies that answer for each field; "@district" is the district's People's Committee.
FIELD_AGENCIES: dict[str, tuple[str, ...]] = {
    "land": ("so-tai-nguyen-va-moi-truong", "@district", "@district"),
    "construction_urban_order": ("so-xay-dung", "so-quy-hoach-kien-truc", "@district"),
    "transport": ("so-giao-thong-van-tai", "so-giao-thong-van-tai", "bqlda-giao-thong"),
    "environment": ("so-tai-nguyen-va-moi-truong", "urenco-ha-noi", "@district"),
    "water_drainage": ("cong-ty-thoat-nuoc-ha-noi", "cong-ty-nuoc-sach-ha-noi", "so-xay-dung"),
    "health": ("so-y-te",),
    "education": ("so-giao-duc-va-dao-tao", "@district"),
    "social_policy": ("so-lao-dong-thuong-binh-va-xa-hoi", "@district"),
    "security_order": ("cong-an-thanh-pho", "@district"),
    "other": ("so-cong-thuong", "so-nong-nghiep-va-phat-trien-nong-thon",
              "so-van-hoa-va-the-thao", "@district"),
}
# The field of a đơn, from words of its text (first match wins; "other" if none).
FIELD_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("water_drainage", ("ngập", "mất nước")),
    ("environment", ("rác", "tiếng ồn", "khói bụi")),
    ("transport", ("đèn tín hiệu", "gờ giảm tốc")),
    ("education", ("học sinh",)),
    ("social_policy", ("hộ nghèo", "trợ cấp", "người có công", "khuyết tật")),
    ("other", ("kỷ luật", "nhũng nhiễu", "kinh phí")),
    ("construction_urban_order", ("xây dựng", "vỉa hè", "tháo dỡ")),
    ("land", ("đất", "bồi thường", "tái định cư", "giải phóng mặt bằng")),
)
# Bodies a đơn outside the council's competence is forwarded to (besides the district).
FORWARD_BODIES: tuple[str, ...] = (
    "Công an thành phố Hà Nội", "Thanh tra Chính phủ", "Tòa án nhân dân thành phố Hà Nội",
)

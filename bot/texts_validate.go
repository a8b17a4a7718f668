package bot

// Texts for refusals of names and amounts added with the hardening of
// issue 12; reasonTexts and moneyReasonTexts point here.

// txtNameScript refuses a name in a script other than the Latin one
// Vietnamese is written in (Arabic, Hebrew, Cyrillic, Chinese...).
const txtNameScript = "Họ tên cần viết bằng chữ cái tiếng Việt (có dấu hoặc không dấu), ví dụ: Nguyễn Thị Lan hoặc H'Hen Niê. Anh/chị gõ lại giúp bot."

// txtMoneyTrailing refuses more than three digits after a unit, "1tr1000":
// 1.100.000 đ or 1.001.000 đ?
const txtMoneyTrailing = "Số tiền chưa rõ: sau «tr» hoặc «k» chỉ gõ tối đa ba chữ số (1tr5 là 1.500.000 đ, 1tr250 là 1.250.000 đ, 1k5 là 1.500 đ). Số lẻ hơn thì gõ đủ, ví dụ 1.001.000 hoặc 1 triệu 1 nghìn."

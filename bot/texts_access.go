package bot

// Texts of the checks made before every step of a flow.

// txtNoLongerAllowed ends a flow whose next step the person may no longer
// take: their role, membership or unit changed since it began.
const txtNoLongerAllowed = "Anh/chị không còn quyền thực hiện thao tác này. Thao tác đã dừng, không có gì thay đổi."

"""Vocabularies of the work order (R2.1, R2.2, R10.1)."""

from django.utils.translation import gettext_lazy as _

CHANNELS = [
    ("phone", _("电话")),
    ("web", _("网站")),
    ("app", _("移动应用")),
    ("wechat", _("微信")),
    ("email", _("电子邮件")),
    ("sms", _("短信")),
    ("api", _("接口")),
    ("media", _("媒体")),
]

# The 12345 line and the hotlines merged into it (R2.2); the code is the number dialled.
SOURCE_LINES = [
    ("12345", _("12345 市民服务热线")),
    ("12315", _("12315 市场监管")),
    ("12369", _("12369 环保")),
    ("12319", _("12319 城建")),
    ("12333", _("12333 人力社保")),
    ("12320", _("12320 卫生健康")),
    ("12358", _("12358 价格")),
    ("12318", _("12318 文化市场")),
    ("12329", _("12329 住房公积金")),
    ("12366", _("12366 纳税服务")),
    ("12393", _("12393 医疗保障")),
    ("96166", _("96166 公交")),
    ("96123", _("96123 交通")),
    ("96069", _("96069 热力")),
]

KINDS = [
    ("consultation", _("咨询")),
    ("help", _("求助")),
    ("complaint", _("投诉")),
    ("report", _("举报")),
    ("suggestion", _("建议")),
]

REQUESTER_TYPES = [
    ("natural", _("自然人")),
    ("legal", _("法人")),
    ("organisation", _("非法人组织")),
]

RECEIVED = "received"
PENDING_REVIEW = "pending_review"
DISPATCHED = "dispatched"
IN_PROGRESS = "in_progress"
REPLIED = "replied"
CLOSED = "closed"
ANSWERED = "answered"
TRANSFERRED = "transferred"
RETURN_VISIT = "return_visit"

STATUSES = [
    (RECEIVED, _("已受理")),
    (PENDING_REVIEW, _("待派单审核")),
    (DISPATCHED, _("已派单")),
    (IN_PROGRESS, _("办理中")),
    (REPLIED, _("已答复")),
    (CLOSED, _("已办结")),
    (ANSWERED, _("已直接答复")),
    (TRANSFERRED, _("已转出")),
    (RETURN_VISIT, _("待回访")),
]

# Still in the centre's or a unit's hands: a request on the same matter is a repeat however
# old the earlier order is (R11.3 case 3), and is told its progress, not its result.
OPEN_STATUSES = frozenset({RECEIVED, PENDING_REVIEW, DISPATCHED, IN_PROGRESS, REPLIED, RETURN_VISIT})
# In a unit's hands: what handling and the return visit act on.
AT_UNIT_STATUSES = (DISPATCHED, IN_PROGRESS)
# Not yet answered or closed: may still leave for a neighbour hotline (R21.1).
TRANSFERABLE = (RECEIVED, PENDING_REVIEW, DISPATCHED, IN_PROGRESS)

# Which status may follow which. Later stages (handling, return visit) extend the table;
# every change still goes through orders.services.change_status, which consults it.
TRANSITIONS = {
    RECEIVED: {PENDING_REVIEW, DISPATCHED, ANSWERED, TRANSFERRED, CLOSED},
    PENDING_REVIEW: {DISPATCHED, ANSWERED, TRANSFERRED, CLOSED},
    # Dispatched and in-progress orders may still leave for a neighbour hotline: the engine
    # dispatches cross-region matters to the hotline's unit, and a Beijing unit may find an
    # order is Tianjin's or Hebei's; linkage then hands it over (R21.1).
    DISPATCHED: {IN_PROGRESS, PENDING_REVIEW, REPLIED, RETURN_VISIT, TRANSFERRED},
    # A lead that has accepted can still be re-dispatched: an objection upheld after
    # acceptance, or a transfer to the central liaison unit (R12.4, R22.1).
    IN_PROGRESS: {REPLIED, PENDING_REVIEW, DISPATCHED, RETURN_VISIT, TRANSFERRED},
    REPLIED: {CLOSED, IN_PROGRESS, RETURN_VISIT},
    CLOSED: {IN_PROGRESS},
    ANSWERED: {PENDING_REVIEW},
    TRANSFERRED: set(),
    # Return visit (R23.1): an order enters it when its unit replied or its limit is reached
    # (even unreplied: the centre asks the requester anyway); the visit closes it, or the
    # centre reopens it to the same unit with a new limit.
    RETURN_VISIT: {CLOSED, IN_PROGRESS},
}

UNIT_ROLES = [
    ("lead", _("主办")),
    ("assist", _("协办")),
    ("supervise", _("督办（区政府）")),
    ("coordinate", _("统筹协调")),
    # Added by the handling stage: a department summoned by a township's whistle (R16.1) and
    # a higher authority an order was escalated to for instructions (R20.1).
    ("report_in", _("吹哨报到")),
    ("instruct", _("提级指导")),
]
# The part that answers for the order: the lead, or the co-ordinating government (R13.1).
LEAD_ROLES = ("lead", "coordinate")
# The parts that do the work and may accept, contact, extend and object.
HANDLING_ROLES = (*LEAD_ROLES, "assist")
# The parts assessed on an order (R25.1): those that worked on it.
ASSESSED_ROLES = (*HANDLING_ROLES, "report_in")
# Every part that works on the order, as opposed to one that watches it (supervise).
WORKING_ROLES = (*ASSESSED_ROLES, "instruct")

ATTACHMENT_KINDS = [
    ("image", _("图片")),
    ("audio", _("录音")),
    ("video", _("视频")),
    ("document", _("文档")),
]

# Accepted attachment types (R8.1), by content type sniffed from the bytes, not the name.
ATTACHMENT_TYPES = {
    "image/jpeg": "image",
    "image/png": "image",
    "image/gif": "image",
    "image/webp": "image",
    "audio/mpeg": "audio",
    "audio/wav": "audio",
    "audio/amr": "audio",
    "audio/ogg": "audio",
    "video/mp4": "video",
    "video/quicktime": "video",
    "application/pdf": "document",
    "application/msword": "document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "document",
    "text/plain": "document",
}

# How the timeline names each event; an action missing here shows its code.
EVENT_LABELS = {
    "personal_data_erased": _("个人信息按规定删除"),
    "created": _("受理"),
    "attachment_added": _("上传附件"),
    "attachment_erased": _("附件按规定删除"),
    "decided": _("派单建议"),
    "dispatched": _("派单"),
    "queued_for_review": _("进入派单审核"),
    "answered": _("直接答复"),
    "transferred": _("转出"),
    "closed": _("办结"),
    "linked_repeat": _("重复诉求关联"),
    "consultation_opened": _("发起会商"),
    "consultation_comment": _("会商意见"),
    "consultation_closed": _("会商结束"),
    "objection_raised": _("提出派单异议"),
    "objection_accepted": _("异议成立，改派"),
    "objection_rejected": _("异议不成立"),
    "redispatched": _("改派"),
    # Unit handling (R14-R22, R33)
    "accepted": _("签收"),
    "contact_recorded": _("联系诉求人"),
    "assist_added": _("增加协办单位"),
    "part_reported": _("协办单位报告"),
    "extension_requested": _("申请延期"),
    "extension_approved": _("延期获批"),
    "extension_refused": _("延期未获批"),
    "replied": _("答复办理结果"),
    "escalated": _("提级办理"),
    "escalation_answered": _("上级指导意见"),
    "whistle_blown": _("吹哨"),
    "reported_in": _("部门报到"),
    "report_in_confirmed": _("街乡确认报到"),
    "central_transferred": _("转央产军产联络"),
    "central_forwarded": _("联络办转交中央单位"),
    "central_feedback": _("中央单位反馈"),
    "reply_disputed": _("诉求人对答复有异议"),
    "supervised": _("督办"),
    # Return visit and assessment (R23.1, R8.2, R31, R34.1)
    "return_visit_queued": _("进入回访"),
    "limit_visit_queued": _("时限已到，安排回访"),
    "return_visit_attempt": _("回访未接通"),
    "return_visit_recorded": _("回访结果"),
    "return_visit_invalid": _("无效回访"),
    "rating_link_sent": _("发送评价链接"),
    "rated_online": _("诉求人网上评价"),
    "reopened": _("重新办理"),
    "certified_unreasonable": _("认定为不合理诉求"),
    "assessment_appealed": _("考核申诉"),
    "appeal_decided": _("申诉审核"),
    # Beijing-Tianjin-Hebei hotline linkage (R21.1)
    "neighbour_transferred": _("转津冀热线"),
    "neighbour_returned": _("退回津冀热线"),
    "neighbour_received": _("津冀热线转来"),
    "neighbour_sent_back": _("津冀热线退回"),
    "neighbour_updated": _("津冀热线办理进展"),
    "neighbour_closed": _("津冀热线办结"),
    # Disclosure (R30.1)
    "case_published": _("公开为案例"),
    "case_withdrawn": _("撤回公开案例"),
    # The centre's own records (R9.1, R35.1, R33.1)
    "caller_flagged": _("标记恶意或骚扰来电"),
    "caller_warned": _("警示来电人"),
    "caller_referred_to_police": _("来电人移送公安机关"),
    "caller_flag_lifted": _("解除来电标记"),
    "call_recorded": _("记录通话时长"),
    "conduct_recorded": _("登记督查记录"),
    "conduct_decided": _("督查记录认定"),
    "conduct_referred": _("督查记录移送"),
    "quality_reviewed": _("受理质检"),
    "training_case_marked": _("列为培训案例"),
    "media_report_recorded": _("记录媒体报道来源"),
    "staff_recognised": _("个人表扬"),
}
STATUS_LABELS = dict(STATUSES)

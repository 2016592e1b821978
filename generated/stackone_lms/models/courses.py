"""Models of the StackOne LMS API used by its courses operations."""

from __future__ import annotations

from stackone_lms._open_enum import OpenEnum
from stackone_lms._base_model import BaseModel
from pydantic import ConfigDict, Field
from typing import Annotated, Any
from typing_extensions import TypeAliasType
from datetime import datetime
from enum import StrEnum

# fmt: off
__all__ = [
    "BadGatewayResponse", "BadRequestResponse", "BatchResultApiModel", "CategoryLevelEnumModel",
    "CategoryLevelEnumModelValue", "ConflictResponse", "CreateCategoriesApiModel",
    "CreateContentApiModel", "CreateSkillsApiModel", "ForbiddenResponse",
    "InternalServerErrorResponse", "LanguageEnum", "LanguageEnumValue",
    "LmsBatchUpsertCourseRequestDto", "LmsUpsertCourseRequestDto", "LocalizationModel",
    "NotFoundResponse", "NotImplementedResponse", "PreconditionFailedResponse", "ProviderError",
    "RequestTimedOutResponse", "SkillLevelEnum", "SkillLevelEnumValue", "SourceValue",
    "TooManyRequestsResponse", "UnauthorizedResponse", "UnifiedError",
    "UnprocessableEntityResponse",
]
# fmt: on


class BadGatewayResponse(BaseModel):
    """
    Error body sent with HTTP 502. The provider answered with an invalid response.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
    )
    status_code: Annotated[int | float, Field(alias="statusCode", examples=[502])]
    """
    The HTTP status code.
    """
    message: str
    """
    A human-readable explanation of the error.
    """
    timestamp: datetime
    """
    When the error occurred.
    """


class BadRequestResponse(BaseModel):
    """
    Error body sent with HTTP 400. The request was malformed or failed validation.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
    )
    status_code: Annotated[int | float, Field(alias="statusCode", examples=[400])]
    """
    The HTTP status code.
    """
    message: str
    """
    A human-readable explanation of the error.
    """
    timestamp: datetime
    """
    When the error occurred.
    """
    data: UnifiedError | None = None
    """
    The error in StackOne's unified form, when there is one.
    """
    provider_errors: list[ProviderError] | None = None
    """
    The errors the underlying provider returned, when it returned any.
    """


class BatchResultApiModel(BaseModel):
    """
    The outcome of a batch request.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
    )
    status_code: Annotated[int | float | None, Field(alias="statusCode")] = None
    """
    The HTTP status of the batch request.
    """
    message: str | None = None
    """
    A short summary of the outcome.
    """
    timestamp: datetime | None = None
    """
    When the batch was accepted.
    """
    errors: list[list[str]] | None = None
    """
    One list of error messages per submitted item, in the order the items were sent; an empty list means the item had no error.
    """


class CategoryLevelEnumModel(BaseModel):
    """
    The level of a category in its hierarchy.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
    )
    value: CategoryLevelEnumModelValue | None = None
    """
    The unified level; `unmapped_value` when the provider's level has no unified equivalent.
    """
    source_value: SourceValue | None = None


class CategoryLevelEnumModelValue(OpenEnum, StrEnum):
    primary = "primary"
    secondary = "secondary"
    tertiary = "tertiary"
    unmapped_value = "unmapped_value"


class ConflictResponse(BaseModel):
    """
    Error body sent with HTTP 409. The request conflicts with the current state of the resource.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
    )
    status_code: Annotated[int | float, Field(alias="statusCode", examples=[409])]
    """
    The HTTP status code.
    """
    message: str
    """
    A human-readable explanation of the error.
    """
    timestamp: datetime
    """
    When the error occurred.
    """


class CreateCategoriesApiModel(BaseModel):
    """
    A category to attach to the course.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
    )
    id: str | None = None
    """
    The category's identifier.
    """
    unified_custom_fields: dict[str, Any] | None = None
    """
    Free-form custom fields, keyed by the names configured in the StackOne project.
    """
    name: str | None = None
    """
    The category's name.
    """
    hierarchy: CategoryLevelEnumModel | None = None
    """
    Where the category sits in the category tree.
    """
    level: Annotated[CategoryLevelEnumModel | None, Field(deprecated=True)] = None
    """
    Former name of `hierarchy`; use `hierarchy` instead.
    """
    language: LanguageEnum | None = None
    """
    The language of the category's name.
    """


class CreateContentApiModel(BaseModel):
    """
    One piece of learning content within the course.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
    )
    external_reference: str | None = None
    """
    The caller's own stable identifier of the content.
    """
    title: str | None = None
    """
    The content title.
    """
    description: str | None = None
    """
    What the content covers.
    """
    content_url: str | None = None
    """
    Address where the content can be opened.
    """
    mobile_launch_content_url: str | None = None
    """
    Address that opens the content in the provider's mobile app.
    """
    order: int | float | None = None
    """
    Position of the content within the course.
    """


class CreateSkillsApiModel(BaseModel):
    """
    A skill that the course develops.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
    )
    id: str | None = None
    """
    The skill's identifier.
    """
    name: str | None = None
    """
    The skill's name.
    """
    hierarchy: SkillLevelEnum | None = None
    """
    Where the skill sits in the skill tree.
    """
    language: LanguageEnum | None = None
    """
    The language of the skill's name.
    """
    level: Annotated[SkillLevelEnum | None, Field(deprecated=True)] = None
    """
    Former name of `hierarchy`; use `hierarchy` instead.
    """


class ForbiddenResponse(BaseModel):
    """
    Error body sent with HTTP 403. The credentials may not perform this request.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
    )
    status_code: Annotated[int | float, Field(alias="statusCode", examples=[403])]
    """
    The HTTP status code.
    """
    message: str
    """
    A human-readable explanation of the error.
    """
    timestamp: datetime
    """
    When the error occurred.
    """


class InternalServerErrorResponse(BaseModel):
    """
    Error body sent with HTTP 500. An unexpected failure on the server side.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
    )
    status_code: Annotated[int | float, Field(alias="statusCode", examples=[500])]
    """
    The HTTP status code.
    """
    message: str
    """
    A human-readable explanation of the error.
    """
    timestamp: datetime
    """
    When the error occurred.
    """


class LanguageEnum(BaseModel):
    """
    A language, as a unified locale code plus the provider's own value.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
    )
    value: LanguageEnumValue | None = None
    """
    The unified locale code, mostly language_COUNTRY such as `en_GB`; `unmapped_value` when the provider's language has no unified equivalent.
    """
    source_value: SourceValue | None = None


class LanguageEnumValue(OpenEnum, StrEnum):
    ar_ar = "ar_AR"
    aa_er = "aa_ER"
    af_na = "af_NA"
    af_za = "af_ZA"
    am_et = "am_ET"
    ar_ae = "ar_AE"
    ar_bh = "ar_BH"
    ar_dj = "ar_DJ"
    ar_dz = "ar_DZ"
    ar_eg = "ar_EG"
    ar_er = "ar_ER"
    ar_iq = "ar_IQ"
    ar_jo = "ar_JO"
    ar_km = "ar_KM"
    ar_kw = "ar_KW"
    ar_lb = "ar_LB"
    ar_ly = "ar_LY"
    ar_ma = "ar_MA"
    ar_mr = "ar_MR"
    ar_om = "ar_OM"
    ar_ps = "ar_PS"
    ar_qa = "ar_QA"
    ar_sa = "ar_SA"
    ar_sd = "ar_SD"
    ar_sy = "ar_SY"
    ar_td = "ar_TD"
    ar_tn = "ar_TN"
    ar_ye = "ar_YE"
    ay_bo = "ay_BO"
    ay_pe = "ay_PE"
    az_az = "az_AZ"
    az_ir = "az_IR"
    be_by = "be_BY"
    bg_bg = "bg_BG"
    bi_vu = "bi_VU"
    bn_bd = "bn_BD"
    bn_in = "bn_IN"
    bs_ba = "bs_BA"
    bs_me = "bs-ME"
    byn_er = "byn_ER"
    ca_ad = "ca_AD"
    ca_es = "ca_ES"
    ca_fr = "ca_FR"
    ca_it = "ca_IT"
    ch_gu = "ch_GU"
    cs_cz = "cs_CZ"
    da_dk = "da_DK"
    de_at = "de_AT"
    de_be = "de_BE"
    de_ch = "de_CH"
    de_de = "de_DE"
    de_li = "de_LI"
    de_lu = "de_LU"
    de_va = "de_VA"
    de_mv = "de_MV"
    dv_mv = "dv_MV"
    dz_bt = "dz_BT"
    el_cy = "el_CY"
    el_gr = "el_GR"
    en_ag = "en_AG"
    en_ai = "en_AI"
    en_as = "en_AS"
    en_au = "en_AU"
    en_bb = "en_BB"
    en_be = "en_BE"
    en_bm = "en_BM"
    en_bs = "en_BS"
    en_bw = "en_BW"
    en_bz = "en_BZ"
    en_ca = "en_CA"
    en_cc = "en_CC"
    en_ck = "en_CK"
    en_cm = "en_CM"
    en_cw = "en_CW"
    en_cx = "en_CX"
    en_dg = "en_DG"
    en_dm = "en_DM"
    en_er = "en_ER"
    en_fj = "en_FJ"
    en_fk = "en_FK"
    en_fm = "en_FM"
    en_gb = "en_GB"
    en_gd = "en_GD"
    en_gg = "en_GG"
    en_gh = "en_GH"
    en_gi = "en_GI"
    en_gm = "en_GM"
    en_gs = "en_GS"
    en_gu = "en_GU"
    en_gy = "en_GY"
    en_hk = "en_HK"
    en_ie = "en_IE"
    en_im = "en_IM"
    en_in = "en_IN"
    en_io = "en_IO"
    en_je = "en_JE"
    en_jm = "en_JM"
    en_ke = "en_KE"
    en_ki = "en_KI"
    en_kn = "en_KN"
    en_ky = "en_KY"
    en_lc = "en_LC"
    en_lr = "en_LR"
    en_ls = "en_LS"
    en_mf = "en_MF"
    en_mg = "en_MG"
    en_mh = "en_MH"
    en_mo = "en_MO"
    en_mp = "en_MP"
    en_ms = "en_MS"
    en_mt = "en_MT"
    en_mu = "en_MU"
    en_mw = "en_MW"
    en_my = "en_MY"
    en_na = "en_NA"
    en_nf = "en_NF"
    en_ng = "en_NG"
    en_nl = "en_NL"
    en_nr = "en_NR"
    en_nu = "en_NU"
    en_nz = "en_NZ"
    en_pg = "en_PG"
    en_ph = "en_PH"
    en_pk = "en_PK"
    en_pn = "en_PN"
    en_pr = "en_PR"
    en_pw = "en_PW"
    en_rw = "en_RW"
    en_sb = "en_SB"
    en_sc = "en_SC"
    en_sd = "en_SD"
    en_sg = "en_SG"
    en_sh = "en_SH"
    en_sl = "en_SL"
    en_ss = "en_SS"
    en_sx = "en_SX"
    en_sz = "en_SZ"
    en_tc = "en_TC"
    en_tk = "en_TK"
    en_to = "en_TO"
    en_tt = "en_TT"
    en_tv = "en_TV"
    en_tz = "en_TZ"
    en_ug = "en_UG"
    en_um = "en_UM"
    en_us = "en_US"
    en_vc = "en_VC"
    en_vg = "en_VG"
    en_vi = "en_VI"
    en_vu = "en_VU"
    en_ws = "en_WS"
    en_za = "en_ZA"
    en_zm = "en_ZM"
    en_zw = "en_ZW"
    es_ar = "es_AR"
    es_bo = "es_BO"
    es_bz = "es_BZ"
    es_cl = "es_CL"
    es_co = "es_CO"
    es_cr = "es_CR"
    es_cu = "es_CU"
    es_do = "es_DO"
    es_ea = "es_EA"
    es_ec = "es_EC"
    es_eh = "es_EH"
    es_es = "es_ES"
    es_gq = "es_GQ"
    es_gt = "es_GT"
    es_hn = "es_HN"
    es_ic = "es_IC"
    es_la = "es_LA"
    es_mx = "es_MX"
    es_ni = "es_NI"
    es_pa = "es_PA"
    es_pe = "es_PE"
    es_ph = "es_PH"
    es_pr = "es_PR"
    es_py = "es_PY"
    es_sv = "es_SV"
    es_us = "es_US"
    es_uy = "es_UY"
    es_ve = "es_VE"
    et_ee = "et_EE"
    fa_af = "fa_AF"
    fa_ir = "fa_IR"
    fan_ga = "fan_GA"
    ff_cm = "ff_CM"
    ff_gn = "ff_GN"
    ff_mr = "ff_MR"
    ff_sn = "ff_SN"
    ff_bf = "ff_BF"
    fi_fi = "fi_FI"
    fj_fj = "fj_FJ"
    fo_fo = "fo_FO"
    fr_be = "fr_BE"
    fr_bf = "fr_BF"
    fr_bi = "fr_BI"
    fr_bj = "fr_BJ"
    fr_bl = "fr_BL"
    fr_ca = "fr_CA"
    fr_cd = "fr_CD"
    fr_cf = "fr_CF"
    fr_cg = "fr_CG"
    fr_ch = "fr_CH"
    fr_ci = "fr_CI"
    fr_cm = "fr_CM"
    fr_dj = "fr_DJ"
    fr_dz = "fr_DZ"
    fr_fr = "fr_FR"
    fr_ga = "fr_GA"
    fr_gf = "fr_GF"
    fr_gg = "fr_GG"
    fr_gn = "fr_GN"
    fr_gp = "fr_GP"
    fr_gq = "fr_GQ"
    fr_ht = "fr_HT"
    fr_km = "fr_KM"
    fr_je = "fr_JE"
    fr_lu = "fr_LU"
    fr_lb = "fr_LB"
    fr_ma = "fr_MA"
    fr_mc = "fr_MC"
    fr_mf = "fr_MF"
    fr_mg = "fr_MG"
    fr_ml = "fr_ML"
    fr_mq = "fr_MQ"
    fr_mr = "fr_MR"
    fr_mu = "fr_MU"
    fr_nc = "fr_NC"
    fr_ne = "fr_NE"
    fr_pf = "fr_PF"
    fr_pm = "fr_PM"
    fr_re = "fr_RE"
    fr_rw = "fr_RW"
    fr_sc = "fr_SC"
    fr_sn = "fr_SN"
    fr_sy = "fr_SY"
    fr_td = "fr_TD"
    fr_tf = "fr_TF"
    fr_tg = "fr_TG"
    fr_tn = "fr_TN"
    fr_vu = "fr_VU"
    fr_va = "fr_VA"
    fr_wf = "fr_WF"
    fr_yt = "fr_YT"
    ga_ie = "ga_IE"
    gn_py = "gn_PY"
    gn_ar = "gn_AR"
    gu_in = "gu_IN"
    gv_im = "gv_IM"
    he_il = "he_IL"
    hi_in = "hi_IN"
    hr_ba = "hr_BA"
    hr_hr = "hr_HR"
    hr_me = "hr_ME"
    ht_ht = "ht_HT"
    hu_hu = "hu_HU"
    hy_am = "hy_AM"
    hy_cy = "hy_CY"
    id_id = "id_ID"
    is_is = "is_IS"
    it_ch = "it_CH"
    it_it = "it_IT"
    it_sm = "it_SM"
    it_va = "it_VA"
    ja_jp = "ja_JP"
    ka_ge = "ka_GE"
    kg_cd = "kg_CD"
    kk_kz = "kk_KZ"
    kl_gl = "kl_GL"
    km_kh = "km_KH"
    ko_kp = "ko_KP"
    ko_kr = "ko_KR"
    ku_iq = "ku_IQ"
    ky_kg = "ky_KG"
    la_va = "la_VA"
    lb_lu = "lb_LU"
    ln_ao = "ln_AO"
    ln_cd = "ln_CD"
    ln_cf = "ln_CF"
    ln_cg = "ln_CG"
    lo_la = "lo_LA"
    lt_lt = "lt_LT"
    lu_cd = "lu_CD"
    lv_lv = "lv_LV"
    mg_mg = "mg_MG"
    mh_mh = "mh_MH"
    mi_nz = "mi_NZ"
    mk_mk = "mk_MK"
    mn_mn = "mn_MN"
    mr_in = "mr_IN"
    ms_bn = "ms_BN"
    ms_my = "ms_MY"
    ms_sg = "ms_SG"
    mt_mt = "mt_MT"
    my_mm = "my_MM"
    nb_no = "nb_NO"
    nb_bv = "nb_BV"
    nb_zw = "nb_ZW"
    ne_np = "ne_NP"
    nl_aw = "nl_AW"
    nl_be = "nl_BE"
    nl_bq = "nl_BQ"
    nl_cw = "nl_CW"
    nl_nl = "nl_NL"
    nl_sr = "nl_SR"
    nl_sx = "nl_SX"
    nl_mf = "nl_MF"
    nn_no = "nn_NO"
    nn_bv = "nn_BV"
    no_no = "no_NO"
    no_bv = "no_BV"
    no_sj = "no_SJ"
    nr_za = "nr_ZA"
    ny_mw = "ny_MW"
    pa_in = "pa_IN"
    pa_pk = "pa_PK"
    pl_pl = "pl_PL"
    ps_af = "ps_AF"
    pt_ao = "pt_AO"
    pt_br = "pt_BR"
    pt_ch = "pt_CH"
    pt_cv = "pt_CV"
    pt_gq = "pt_GQ"
    pt_gw = "pt_GW"
    pt_lu = "pt_LU"
    pt_mo = "pt_MO"
    pt_mz = "pt_MZ"
    pt_pt = "pt_PT"
    pt_st = "pt_ST"
    pt_tl = "pt_TL"
    qu_bo = "qu_BO"
    qu_ec = "qu_EC"
    qu_pe = "qu_PE"
    rar_ck = "rar_CK"
    rm_ch = "rm_CH"
    rup_mk = "rup_MK"
    ro_md = "ro_MD"
    ro_ro = "ro_RO"
    ru_by = "ru_BY"
    ru_kg = "ru_KG"
    ru_kz = "ru_KZ"
    ru_md = "ru_MD"
    ru_ru = "ru_RU"
    ru_ua = "ru_UA"
    ru_aq = "ru_AQ"
    ru_tj = "ru_TJ"
    ru_tm = "ru_TM"
    ru_uz = "ru_UZ"
    rw_rw = "rw_RW"
    se_se = "se_SE"
    sg_cf = "sg_CF"
    si_lk = "si_LK"
    sk_sk = "sk_SK"
    sl_si = "sl_SI"
    sm_as = "sm_AS"
    sm_ws = "sm_WS"
    sn_zw = "sn_ZW"
    so_dj = "so_DJ"
    so_et = "so_ET"
    so_ke = "so_KE"
    so_so = "so_SO"
    sq_al = "sq_AL"
    sq_me = "sq_ME"
    sq_xk = "sq_XK"
    sr_ba = "sr_BA"
    sr_me = "sr_ME"
    sr_rs = "sr_RS"
    sr_xk = "sr_XK"
    ss_sz = "ss_SZ"
    ss_za = "ss_ZA"
    sv_ax = "sv_AX"
    sv_fi = "sv_FI"
    sv_se = "sv_SE"
    sw_ke = "sw_KE"
    sw_tz = "sw_TZ"
    sw_ug = "sw_UG"
    sw_cd = "sw_CD"
    ta_in = "ta_IN"
    ta_my = "ta_MY"
    ta_sg = "ta_SG"
    ta_lk = "ta_LK"
    te_in = "te_IN"
    tg_tj = "tg_TJ"
    th_th = "th_TH"
    ti_er = "ti_ER"
    ti_et = "ti_ET"
    tig_er = "tig_ER"
    tk_tm = "tk_TM"
    tk_af = "tk_AF"
    tn_bw = "tn_BW"
    tn_za = "tn_ZA"
    to_to = "to_TO"
    tr_cy = "tr_CY"
    tr_tr = "tr_TR"
    ts_za = "ts_ZA"
    uk_ua = "uk_UA"
    ur_in = "ur_IN"
    ur_pk = "ur_PK"
    uz_af = "uz_AF"
    uz_uz = "uz_UZ"
    ve_za = "ve_ZA"
    vi_vn = "vi_VN"
    xh_za = "xh_ZA"
    zh_cn = "zh_CN"
    zh_hk = "zh_HK"
    zh_mo = "zh_MO"
    zh_sg = "zh_SG"
    zh_tw = "zh_TW"
    zu_za = "zu_ZA"
    unmapped_value = "unmapped_value"


class LmsBatchUpsertCourseRequestDto(BaseModel):
    """
    A batch of courses to create or update.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
    )
    items: list[LmsUpsertCourseRequestDto]
    """
    The courses of the batch, each matched on its `external_reference`.
    """


class LmsUpsertCourseRequestDto(BaseModel):
    """
    One course to create, or to update when its `external_reference` is already known.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
    )
    unified_custom_fields: dict[str, Any] | None = None
    """
    Free-form custom fields, keyed by the names configured in the StackOne project.
    """
    external_reference: str | None = None
    """
    The caller's own stable identifier of the course; the key of the upsert.
    """
    title: str | None = None
    """
    The course title.
    """
    description: str | None = None
    """
    What the course teaches.
    """
    languages: list[LanguageEnum] | None = None
    """
    The languages the course is offered in.
    """
    cover_url: str | None = None
    """
    Address of the course's cover image.
    """
    url: str | None = None
    """
    Address where the course can be opened.
    """
    active: bool | None = None
    """
    Whether learners can see and take the course.
    """
    duration: str | None = None
    """
    How long the course takes, as an ISO 8601 duration such as `P3Y6M4DT12H30M5S`.
    """
    categories: list[CreateCategoriesApiModel] | None = None
    """
    The categories the course belongs to.
    """
    skills: list[CreateSkillsApiModel] | None = None
    """
    The skills the course develops.
    """
    content: list[CreateContentApiModel] | None = None
    """
    The pieces of learning content that make up the course, in order.
    """
    localizations: list[LocalizationModel] | None = None
    """
    Titles and descriptions of the course in other languages.
    """


class LocalizationModel(BaseModel):
    """
    The course's title and description in one language.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
    )
    title: str | None = None
    """
    The localized title.
    """
    description: str | None = None
    """
    The localized description.
    """
    language: LanguageEnum | None = None
    """
    The language of this localization.
    """
    tags: list[str] | None = None
    """
    Localized keywords for the course.
    """


class NotFoundResponse(BaseModel):
    """
    Error body sent with HTTP 404. The resource or the linked account does not exist.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
    )
    status_code: Annotated[int | float, Field(alias="statusCode", examples=[404])]
    """
    The HTTP status code.
    """
    message: str
    """
    A human-readable explanation of the error.
    """
    timestamp: datetime
    """
    When the error occurred.
    """


class NotImplementedResponse(BaseModel):
    """
    Error body sent with HTTP 501. The provider does not support this operation.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
    )
    status_code: Annotated[int | float, Field(alias="statusCode", examples=[501])]
    """
    The HTTP status code.
    """
    message: str
    """
    A human-readable explanation of the error.
    """
    timestamp: datetime
    """
    When the error occurred.
    """


class PreconditionFailedResponse(BaseModel):
    """
    Error body sent with HTTP 412. The linked account belongs to a disabled integration.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
    )
    status_code: Annotated[int | float, Field(alias="statusCode", examples=[412])]
    """
    The HTTP status code.
    """
    message: str
    """
    A human-readable explanation of the error.
    """
    timestamp: datetime
    """
    When the error occurred.
    """


class ProviderError(BaseModel):
    """
    An error returned by the provider behind the linked account.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
    )
    status: int | float | None = None
    """
    The HTTP status the provider answered with.
    """
    url: str | None = None
    """
    The provider address that was called.
    """
    raw: dict[str, Any] | None = None
    """
    The provider's error body, unchanged.
    """
    headers: dict[str, Any] | None = None
    """
    The provider's response headers.
    """


class RequestTimedOutResponse(BaseModel):
    """
    Error body sent with HTTP 408. The request took too long to complete.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
    )
    status_code: Annotated[int | float, Field(alias="statusCode", examples=[408])]
    """
    The HTTP status code.
    """
    message: str
    """
    A human-readable explanation of the error.
    """
    timestamp: datetime
    """
    When the error occurred.
    """


class SkillLevelEnum(BaseModel):
    """
    The level of a skill in its hierarchy.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
    )
    value: CategoryLevelEnumModelValue | None = None
    """
    The unified level; `unmapped_value` when the provider's level has no unified equivalent.
    """
    source_value: SourceValue | None = None


SourceValue = TypeAliasType(
    "SourceValue", str | int | float | bool | dict[str, Any] | list[Any] | None
)
"""
The value exactly as the provider holds it; objects and arrays are passed through unchanged.
"""


class TooManyRequestsResponse(BaseModel):
    """
    Error body sent with HTTP 429. The rate limit was exceeded.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
    )
    status_code: Annotated[int | float, Field(alias="statusCode", examples=[429])]
    """
    The HTTP status code.
    """
    message: str
    """
    A human-readable explanation of the error.
    """
    timestamp: datetime
    """
    When the error occurred.
    """


class UnauthorizedResponse(BaseModel):
    """
    Error body sent with HTTP 401. The credentials are missing or wrong.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
    )
    status_code: Annotated[int | float, Field(alias="statusCode", examples=[401])]
    """
    The HTTP status code.
    """
    message: str
    """
    A human-readable explanation of the error.
    """
    timestamp: datetime
    """
    When the error occurred.
    """


class UnifiedError(BaseModel):
    """
    An error in StackOne's unified form.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
    )
    status_code: Annotated[int | float | None, Field(alias="statusCode")] = None
    """
    The HTTP status code.
    """
    message: str | None = None
    """
    A human-readable explanation of the error.
    """
    headers: dict[str, Any] | None = None
    """
    Response headers that came with the error.
    """


class UnprocessableEntityResponse(BaseModel):
    """
    Error body sent with HTTP 422. The request could not be processed.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
    )
    status_code: Annotated[int | float, Field(alias="statusCode", examples=[422])]
    """
    The HTTP status code.
    """
    message: str
    """
    A human-readable explanation of the error.
    """
    timestamp: datetime
    """
    When the error occurred.
    """


SkillLevelEnumValue = CategoryLevelEnumModelValue

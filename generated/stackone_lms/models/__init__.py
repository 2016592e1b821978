"""Data models of the StackOne LMS API, generated from its OpenAPI document.

Each model lives in the module of the operation group that uses it (``_shared``
holds those several groups use) and is imported on first use, so that importing
the package stays fast however large the API is.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .courses import (
        BadGatewayResponse,
        BadRequestResponse,
        BatchResultApiModel,
        CategoryLevelEnumModel,
        CategoryLevelEnumModelValue,
        ConflictResponse,
        CreateCategoriesApiModel,
        CreateContentApiModel,
        CreateSkillsApiModel,
        ForbiddenResponse,
        InternalServerErrorResponse,
        LanguageEnum,
        LanguageEnumValue,
        LmsBatchUpsertCourseRequestDto,
        LmsUpsertCourseRequestDto,
        LocalizationModel,
        NotFoundResponse,
        NotImplementedResponse,
        PreconditionFailedResponse,
        ProviderError,
        RequestTimedOutResponse,
        SkillLevelEnum,
        SkillLevelEnumValue,
        SourceValue,
        TooManyRequestsResponse,
        UnauthorizedResponse,
        UnifiedError,
        UnprocessableEntityResponse,
    )

__all__ = [
    "BadGatewayResponse",
    "BadRequestResponse",
    "BatchResultApiModel",
    "CategoryLevelEnumModel",
    "CategoryLevelEnumModelValue",
    "ConflictResponse",
    "CreateCategoriesApiModel",
    "CreateContentApiModel",
    "CreateSkillsApiModel",
    "ForbiddenResponse",
    "InternalServerErrorResponse",
    "LanguageEnum",
    "LanguageEnumValue",
    "LmsBatchUpsertCourseRequestDto",
    "LmsUpsertCourseRequestDto",
    "LocalizationModel",
    "NotFoundResponse",
    "NotImplementedResponse",
    "PreconditionFailedResponse",
    "ProviderError",
    "RequestTimedOutResponse",
    "SkillLevelEnum",
    "SkillLevelEnumValue",
    "SourceValue",
    "TooManyRequestsResponse",
    "UnauthorizedResponse",
    "UnifiedError",
    "UnprocessableEntityResponse",
]

# Model -> the module that defines it.
_MODULES: dict[str, str] = {
    "BadGatewayResponse": "courses",
    "BadRequestResponse": "courses",
    "BatchResultApiModel": "courses",
    "CategoryLevelEnumModel": "courses",
    "CategoryLevelEnumModelValue": "courses",
    "ConflictResponse": "courses",
    "CreateCategoriesApiModel": "courses",
    "CreateContentApiModel": "courses",
    "CreateSkillsApiModel": "courses",
    "ForbiddenResponse": "courses",
    "InternalServerErrorResponse": "courses",
    "LanguageEnum": "courses",
    "LanguageEnumValue": "courses",
    "LmsBatchUpsertCourseRequestDto": "courses",
    "LmsUpsertCourseRequestDto": "courses",
    "LocalizationModel": "courses",
    "NotFoundResponse": "courses",
    "NotImplementedResponse": "courses",
    "PreconditionFailedResponse": "courses",
    "ProviderError": "courses",
    "RequestTimedOutResponse": "courses",
    "SkillLevelEnum": "courses",
    "SkillLevelEnumValue": "courses",
    "SourceValue": "courses",
    "TooManyRequestsResponse": "courses",
    "UnauthorizedResponse": "courses",
    "UnifiedError": "courses",
    "UnprocessableEntityResponse": "courses",
}

if not TYPE_CHECKING:
    # Hidden from type checkers, which would otherwise accept any attribute name.

    def __getattr__(name: str) -> Any:
        module = _MODULES.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
        globals()[name] = value  # later look-ups skip this function
        return value


def __dir__() -> list[str]:
    return sorted(__all__)

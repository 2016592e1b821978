"""Data models of the StackOne LMS API, generated from its OpenAPI document.

Each model lives in the module of the operation group that uses it (``_shared``
holds those several groups use) and is imported on first use, so that importing
the package stays fast however large the API is.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .courses import *  # noqa: F403

# The models of each module, apart by spaces: a line holds several, however many models there are.
_MODULES: dict[str, str] = {
    "courses": (
        "BadGatewayResponse BadRequestResponse BatchResultApiModel CategoryLevelEnumModel"
        " CategoryLevelEnumModelValue ConflictResponse CreateCategoriesApiModel"
        " CreateContentApiModel CreateSkillsApiModel ForbiddenResponse InternalServerErrorResponse"
        " LanguageEnum LanguageEnumValue LmsBatchUpsertCourseRequestDto LmsUpsertCourseRequestDto"
        " LocalizationModel NotFoundResponse NotImplementedResponse PreconditionFailedResponse"
        " ProviderError RequestTimedOutResponse SkillLevelEnum SkillLevelEnumValue SourceValue"
        " TooManyRequestsResponse UnauthorizedResponse UnifiedError UnprocessableEntityResponse"
    ),
}

if not TYPE_CHECKING:
    # Hidden from type checkers, which read the imports above instead: they would take __getattr__
    # to accept any name, and cannot read an __all__ computed here.
    import importlib

    _MODULE_OF = {name: module for module, names in _MODULES.items() for name in names.split()}
    __all__ = sorted(_MODULE_OF)

    def __getattr__(name: str) -> object:
        module = _MODULE_OF.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
        globals()[name] = value  # later look-ups skip this function
        return value

    def __dir__() -> list[str]:
        return list(__all__)

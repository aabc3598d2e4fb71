"""An excerpt of the schema.org vocabulary, release 21.0 (schemaorg/schemaorg,
data/releases/21.0/schemaorg-current-https-types.csv, column "properties": every property a
type accepts, inherited ones included), for the types our ClaimReview markup uses. Only the
properties are copied, and for ClaimReview/Claim only the ones relevant to a fact-check."""

from __future__ import annotations

_THING = {
    "additionalType",
    "alternateName",
    "description",
    "disambiguatingDescription",
    "identifier",
    "image",
    "mainEntityOfPage",
    "name",
    "potentialAction",
    "sameAs",
    "subjectOf",
    "url",
}
_CREATIVE_WORK = _THING | {
    "about",
    "author",
    "citation",
    "dateCreated",
    "dateModified",
    "datePublished",
    "headline",
    "inLanguage",
    "isBasedOn",
    "keywords",
    "publisher",
    "sourceOrganization",
    "text",
    "spatialCoverage",
    "contentLocation",
    "creator",
    "license",
    "mentions",
}
PROPERTIES: dict[str, set[str]] = {
    "ClaimReview": _CREATIVE_WORK
    | {
        "claimReviewed",
        "itemReviewed",
        "reviewAspect",
        "reviewBody",
        "reviewRating",
        "associatedClaimReview",
        "associatedReview",
        "negativeNotes",
        "positiveNotes",
    },
    "Claim": _CREATIVE_WORK | {"appearance", "claimInterpreter", "firstAppearance"},
    "Rating": _THING
    | {"author", "bestRating", "ratingExplanation", "ratingValue", "reviewAspect", "worstRating"},
    "Organization": _THING | {"address", "areaServed", "email", "legalName", "logo", "telephone"},
}
#: property → types its value may be (rangeIncludes), for the object-valued ones we use.
RANGES: dict[str, set[str]] = {
    "itemReviewed": {"Thing", "Claim"},
    "reviewRating": {"Rating"},
    "author": {"Organization", "Person"},
}

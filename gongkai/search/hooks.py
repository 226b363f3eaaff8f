"""Where a rebuild of the index gets its documents, without search importing the apps that own
them (DESIGN.md "Layers": platform imports nothing of ours).

An app registers in its AppConfig.ready(): `register_provider(kind, provider)`, where
`provider()` yields the `Document` of every thing of that kind that should be searchable now
(published, not withdrawn). `gongkai search reindex` calls every provider."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from gongkai.search.documents import Document

Provider = Callable[[], Iterable[Document]]

_providers: dict[str, Provider] = {}


def register_provider(kind: str, provider: Provider) -> Provider:
    _providers[kind] = provider
    return provider


def remove_provider(kind: str) -> None:
    _providers.pop(kind, None)


def providers() -> dict[str, Provider]:
    return dict(_providers)

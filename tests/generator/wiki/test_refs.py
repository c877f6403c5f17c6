"""References normalised from public text."""

from __future__ import annotations

from generator.wiki.refs import find_refs


def test_every_kind_of_reference() -> None:
    refs = find_refs(
        [
            "(issue.c.o): case [s20120304.54] + [s20120305.1], ticket s20111202.1464",
            "motion m20160921.2 and m20070918.x; DRO decision m20161119.4",
            "policy decision p20091108 and p20100119.2, see CCA 2.5.2 and DRP 3.4",
            "bug 1131, bug #855, Bug reported as #894, bug-1265, and #777 alone",
            "like a20111128.3 and a20140408.1 (this case) and a20100209.2 (merged)",
        ],
        own="a20140408.1",
        merged=["a20100209.2"],
    )
    assert refs.issues == ["s20120304.54", "s20120305.1", "s20111202.1464"]
    assert refs.motions == ["m20160921.2", "m20070918.x", "m20161119.4"]
    assert refs.policies == ["p20091108", "p20100119.2", "CCA 2.5.2", "DRP 3.4"]
    assert refs.bugs == [1131, 855, 894, 1265]
    assert refs.cases == ["a20111128.3"]

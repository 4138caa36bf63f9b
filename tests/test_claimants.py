"""Claimants: the phrasing that names a source, one name per source, and null for a non-source."""

from pathlib import Path

import pytest

from pipeline.grammar import attribution, names, sources
from pipeline.ingest import Document
from pipeline.normalize import Names, _claimant, rows

from .conftest import SHARED


def claimants(sentence: str) -> set[str]:
    return {who for _, who in attribution.in_sentence(sentence)}


@pytest.mark.parametrize(
    "sentence, who",
    [
        ("The health directorate posted that 14 people were killed in the raid.", "health directorate"),
        ("The village council wrote on its page that nine residents died.", "village council"),
        ("The governor tweeted that 5 people were wounded in the blast.", "governor"),
        ("@CivilDefenceNorth stated that 11 bodies had been recovered.", "@CivilDefenceNorth"),
        (
            "According to several sources, including the Kurdish Red Crescent, 17 people were killed.",
            "Kurdish Red Crescent",
        ),
        ("The interior ministry said in a statement that 23 militants were killed.", "interior ministry"),
        ("A statement by the provincial council said 40 families were displaced.", "provincial council"),
        ("In a statement by the Ministry of Health, 12 children were reported dead.", "Ministry of Health"),
        # a teller with no name gives way to the outlet told; a named teller stays
        ("A source told SANA that 6 soldiers were killed.", "SANA"),
        ("Officials told Xinhua news agency that 8 soldiers died.", "Xinhua news agency"),
        ("A rebel source told Al Jazeera that 9 fighters were killed.", "rebel source"),
        ("Mayor Ahmed Karim told Reuters that 6 people were killed.", "Mayor Ahmed Karim"),
        # a source at a body keeps the body; a place after the source is dropped
        (
            "A source at the Hama Police Command said 3 people were killed.",
            "source at the Hama Police Command",
        ),
        ("Rebels in the northern town said 30 fighters were killed.", "Rebels"),
        # "forces" heads a source named by its kind, with the words that say which
        ("The shelling began after the country's armed forces said 4 soldiers died.", "armed forces"),
        ("Government forces said 12 insurgents were killed.", "Government forces"),
        ("The county sheriff's office said two people were shot.", "county sheriff's office"),
        # a describing word before a source is dropped; before "reports" alone it names no one
        ("Other local sources said 3 died.", "local sources"),
        ("Several witnesses said 3 died.", "witnesses"),
        # "however" between the source and the verb; "puts the toll at"
        ("The Kurdish Red Crescent however puts the toll at 40.", "Kurdish Red Crescent"),
        # a name opening with "The" run into the clause before it (commas stripped)
        ("Shelling Kills 5 in Idlib The Syrian Civil Defence said that 5 died.", "Syrian Civil Defence"),
        # a kind of source after the verb, with the comma before it stripped
        (
            "Nine of the injured were in a grave state said the head of the local hospital.",
            "head of the local hospital",
        ),
        ("Three guards died in the ambush said a security source.", "security source"),
        ("Eleven fighters were killed said the spokesman for the Free Army.", "spokesman for the Free Army"),
    ],
)
def test_phrasing_names_the_source(sentence, who):
    assert who in claimants(sentence)


def test_initial_reports_name_no_one():
    assert claimants("Initial reports said 20 were killed.") == set()
    assert claimants("Nine died, according to the latest death toll.") == set()
    assert claimants("According to several accounts, 12 were killed.") == set()
    assert claimants("Other attackers infiltrated from the south Xelil said.") == set()


def test_the_sources_before_including_are_not_a_claimant():
    found = claimants("According to several sources, including the Kurdish Red Crescent, 17 people died.")
    assert found == {"Kurdish Red Crescent"}


@pytest.mark.parametrize(
    "written, name",
    [
        ("Thursday the Syrian Observatory for Human Rights", "Syrian Observatory for Human Rights"),
        ("Observatory Reuters A", "Syrian Observatory for Human Rights"),
        ("SOHR", "Syrian Observatory for Human Rights"),
        (
            "the Britain-based Syrian Observatory for Human Rights (SOHR)",
            "Syrian Observatory for Human Rights",
        ),
        ("Observatory chief Rami Abdel Rahman", "Syrian Observatory for Human Rights"),
        ("the Observatory's director", "Syrian Observatory for Human Rights"),
        ("SANAs correspondent", "Syrian Arab News Agency"),
        ("the Daesh-linked Aamaq news agency", "Amaq News Agency"),
        ("Ghouta Media Center and the Syrian Network for Human Rights", "Syrian Network for Human Rights"),
        # unknown sources: tidied and title-cased, so every spelling gives one name
        ("local sources", "Local Sources"),
        ("Local sources", "Local Sources"),
        ("Monday morning local sources", "Local Sources"),
        ("the Kalamazoo County sheriff's office", "Kalamazoo County Sheriff Office"),
        ("Meanwhile Al-Nasr Army", "Al-Nasr Army"),
        ("Homs Governor Earlier", "Homs Governor"),
        ("the head of the UK-based monitoring group", "Syrian Observatory for Human Rights"),
    ],
)
def test_one_name_per_source(written, name):
    assert sources.canonical(written) == name


@pytest.mark.parametrize(
    "phrase",
    [
        "activists",
        "a rebel source",
        "medics",
        "Syria Civil Defence",
        "Governor Talal al-Barazi",
        "@RedCrescentGaza",
    ],
)
def test_sources_are_sources(phrase):
    assert sources.is_source(phrase)


@pytest.mark.parametrize(
    "phrase",
    [
        "Islamist",  # an adjective
        "Regime planes fired rockets",  # a clause
        "Published April",  # page furniture and a date
        "Tags Idlib Russia Syria activists",
        "Two Suspects Arrested In Raid",  # a headline
        "Syrian for",  # a fragment
        "the country",
        "Observatory relies",
        "Tuesdays",  # "Tuesday's" with its apostrophe stripped
    ],
)
def test_non_sources_are_not(phrase):
    assert not sources.is_source(phrase)


def test_a_place_is_not_a_claimant():
    text = "Shelling in Marea killed 12 people. Marea said 12 people were killed."
    names = Names(text)
    assert _claimant(names, text, "Marea") == (None, None)
    assert _claimant(names, text, "activists") == ("Activists", "activists")


def test_a_bad_catalogue_is_a_one_line_error(tmp_path: Path):
    bad = tmp_path / "sources.toml"
    bad.write_text('source_heads = []\nnot_sources = []\nbylines = []\n[[source]]\nname = "X"\n')
    with pytest.raises(ValueError, match="sources.toml: source 1 needs a name, a kind"):
        sources.load(bad)
    bad.write_text("source_heads = [\n")
    with pytest.raises(ValueError, match="not a readable sources file"):
        sources.load(bad)


def test_the_shipped_catalogue_loads_and_each_name_is_its_own_name():
    cat = sources.load()
    for source in set(cat.sources.values()):
        assert sources.canonical(source.name) == (source.speaks_for or source.name)


def _fakes_claimants(pattern: str) -> set[str]:
    """The claimant phrases the extractor finds in the FA-KES dev articles, canonical or as written."""
    from pipeline.extract import extract

    found = set()
    for path in sorted((SHARED / "gold" / "dev").glob("fakes-*.txt")):
        doc = Document(doc_id=path.stem, source_path=path.name, text=path.read_text(encoding="utf-8"))
        for row in rows(doc, extract(doc.text)):
            if row[pattern] and "Observatory" in (row["claimant_text"] or ""):
                found.add(row[pattern])
    return found


def test_the_observatory_goes_by_one_name_on_real_articles():
    # Real FA-KES articles write the Observatory many ways; the table gives it one name.
    written = _fakes_claimants("claimant_text")
    named = _fakes_claimants("claimant")
    assert len(written) >= 5
    assert named == {"Syrian Observatory for Human Rights"}


def test_each_monitor_name_matches_its_example():
    assert len(names.MONITOR_EXAMPLES) == len(names.MONITOR_NAMES)
    for pattern, example in zip(names.MONITOR_NAMES, names.MONITOR_EXAMPLES, strict=True):
        assert pattern.search(example), f"{pattern.pattern} does not match its example {example!r}"


def test_a_post_reports_only_with_its_that():
    assert claimants("The rescue team posted on Facebook that 7 people died.") == {"rescue team"}
    assert claimants("Relatives posted an image showing 7 bodies.") == set()


def test_a_name_is_a_place_only_where_the_text_writes_it_as_one():
    assert names.written_as_place("Shelling in Marea killed 12.", "Marea")
    assert not names.written_as_place("A source in Marea Police Command said", "Marea")
    assert not names.written_as_place("Marea said 12 were killed.", "Marea")


def test_context_pass_checks_the_budget_and_reads_each_sentence_once(monkeypatch):
    """The pass over sources named elsewhere stops once the article's budget is spent, and a
    sentence of many figures is searched for report words once, not once per figure."""
    from pipeline.extract import claimants as passes
    from pipeline.extract import extract
    from pipeline.grammar.budget import Budget, OutOfTime

    text = "Tolls\n\nThe monitor said: " + ", ".join(f"town {i} ({i + 2} killed)" for i in range(40)) + "."
    figures = extract(text, None, [], Budget(100))
    assert len(figures) == 40
    spent = Budget(0)
    with pytest.raises(OutOfTime):
        passes.from_context(text, [(0, len(text))], figures, spent)
    searched = []

    class Counting:
        def search(self, *args):
            searched.append(args)
            return None

    monkeypatch.setattr(passes, "REPORTED", Counting())
    for f in figures:
        f.claimant = None
    passes.from_context(text, [(7, len(text))], figures, Budget(100))
    assert len(searched) == len({(f.sentence_start, f.sentence_end) for f in figures}) == 1


def test_a_pronoun_is_a_pointer_resolved_to_a_source_or_to_none():
    from pipeline.extract import extract

    assert attribution.clean("the statement") is attribution.PRONOUN
    assert isinstance(attribution.PRONOUN, attribution.Pointer)
    claims = attribution.in_sentence("Five people were killed, it said.")
    assert {who for _, who in claims} == {attribution.PRONOUN}
    alone = extract("Strike\n\nFive people were killed in the strike, it said.")
    assert [f.claimant for f in alone] == [None]
    named = extract(
        "Strike\n\nThe civil defence said the strike hit a market. Five people were killed, it said."
    )
    assert [f.claimant for f in named] == ["civil defence"]


def test_a_reported_clauses_subject_does_not_put_out_the_source():
    """'X said Islamist militants killed a pilot': the words after 'said' are the reported
    clause's subject, no source; the figure is X's, though the subject stands nearer to it."""
    from pipeline.extract import extract

    text = "Shelling\n\nThe raids began after the armed forces said Islamist rebels killed a pilot."
    assert [f.claimant for f in extract(text)] == ["armed forces"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Four people were killed said the army killed them.",  # the reported clause's subject
        "The doctor said the strikes hit a hospital.",
        "Five died said Kurdish fighters captured the town.",
    ],
)
def test_the_subject_of_a_reported_clause_is_no_source_after_the_verb(sentence):
    assert not {who for who in claimants(sentence) if isinstance(who, str) and who != "doctor"}


def test_said_the_statement_points_back_to_the_source_before():
    from pipeline.extract import extract

    text = "Raid\n\nThe interior ministry said gunmen attacked a post. Six died said the statement."
    assert [f.claimant for f in extract(text)] == ["interior ministry"]


@pytest.mark.parametrize(
    "sentence, who",
    [
        ("The monitor said a coalition raid on the town killed 7 women.", "monitor"),
        ("Medics said the head of the clinic and two nurses were killed.", "Medics"),
    ],
)
def test_a_noun_after_the_verb_that_opens_the_reported_clause_is_not_its_source(sentence, who):
    assert claimants(sentence) == {who}

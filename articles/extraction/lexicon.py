"""Word lists and regex building blocks shared by the finders.

Kept in one place so the finders agree on what a capitalised word, a title or a
speech verb is.
"""

from __future__ import annotations

UPPER = "A-ZÀ-ÖØ-Þ"
LOWER = "a-zß-öø-ÿ"
LETTER = UPPER + LOWER

# A capitalised word: "Khovaev", "O'Brien", "Al-Assad", "MI-171", "DFA"; not the "'s".
CAP_WORD = (
    r"(?:(?:Mr|Mrs|Ms|Dr|Prof|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|Rev|St|Jr|Sr)\.(?=[ \t])"
    rf"|(?<![\w.])[{UPPER}]\.(?=[ \t]+[{UPPER}][{LOWER}])"
    rf"|[{UPPER}](?:[{LETTER}0-9]|[-'’](?![sS]\b)(?=[{LETTER}0-9]))*)"
)
# Names of bodies run across small words: "Department of Foreign Affairs".
ORG_CHAIN = rf"{CAP_WORD}(?:[ \t]+(?:(?:of|for|on|and|&)[ \t]+(?:the[ \t]+)?)?{CAP_WORD})*"

TITLES = frozenset(
    """
    President Vice Secretary Minister Ambassador Envoy Admiral General Gen. Gen Senator Sen. Sen
    Representative Rep. Rep Congressman Congresswoman Governor Gov. Gov Mayor Judge Justice
    Dr. Dr Prof. Prof Professor Mr. Mr Mrs. Mrs Ms. Ms Miss Sir Dame Lord Lady Chief Director
    Chairman Chairwoman Chairperson Chair Commissioner Prime Premier Chancellor King Queen Prince
    Princess Pope Bishop Archbishop Cardinal Father Rev. Rev Reverend Captain Capt. Capt Colonel
    Col. Col Lieutenant Lt. Lt Major Maj. Sergeant Sgt. Sgt Commander Cmdr. Marshal Brigadier
    Spokesman Spokeswoman Spokesperson Coach Detective Inspector Superintendent Officer
    Councillor Councilor Councilman Councilwoman Alderman Assemblyman Assemblywoman Speaker
    Attorney Prosecutor Sheriff Deputy Undersecretary CEO Chief-Executive Founder Director-General
    Secretary-General Commissioner-General Consul Consul-General Emir Sheikh Sultan Crown
    Superintendent Chairman-elect President-elect Senator-elect Leader Treasurer Auditor
    """.split()
)
# Words that tell a capitalised run is not a person, whatever precedes it.
NON_PERSON = frozenset(
    """
    Department Ministry Service Services Group Police Office Council Committee Commission Agency
    Authority Bureau Board Court Congress Senate Parliament House Assembly Embassy Consulate
    Army Navy Air Force Forces Fleet Guard Corps Command University College School Institute
    Hospital Bank Fund Corporation Corp Inc Ltd Company Co Association Union Federation League
    Party Foundation Organization Organisation Center Centre Society Trust Network News Times
    Post Press Agency Airlines Airways Group Holdings Club Conference Summit Treaty Convention
    Agreement Accord Act Program Programme Meeting Forum Games Cup Olympics Festival Award
    Awards Prize Initiative Project Plan Strategy Policy Law Bill Code Constitution Declaration
    Street Road Avenue Square Bridge Park Island Islands Sea Ocean River Lake Mountain Mountains
    Valley Bay Gulf Coast Peninsula Region Province State States Republic Kingdom Empire City
    County District Territory Airport Station Port Harbor Harbour Palace Hall Tower Stadium
    Arena Church Cathedral Mosque Temple Museum Library Market Exchange Index Street Centre
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
    June July August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept
    Oct Nov Dec Christmas Easter Ramadan North South East West Northern Southern Eastern Western
    Central Pacific Atlantic Asia Europe Africa America Americas Middle United New Saint St
    Government Administration Cabinet Ministry Minisitry Defense Defence Affairs Security
    Internet Covid COVID Coronavirus
    """.split()
)
# Capitalised only because they open a sentence: never the start of a name.
LEADING_JUNK = frozenset(
    """
    The This That These Those There Their They It Its He She We Our You Your I My His Her
    However But And Or If When While Although Though After Before Since Under Over Without With
    From Into About As At By For In Of On To Meanwhile Earlier Later Already Apart Citing Early
    Last Next Just Also Both Only Not No Yes Despite During Following Like Unlike Amid Among
    Asked According Speaking Then Now Today Yesterday Still Even Instead Once Here Where Why How
    What Who Which Whose Some Many Most Several Each Every All Any Such Other Another Without
    """.split()
)
NON_PERSON = NON_PERSON | LEADING_JUNK
EVENT_WORDS = frozenset(
    """
    Conference Treaty Convention Agreement Accord Act Program Programme Initiative Festival
    Olympics Championship Championships Cup Award Awards Prize Forum Protocol Charter Declaration
    Plan Games Expo Exhibition Pact Doctrine Bill Tournament Symposium Congress
    """.split()
)
ROLE_NOUNS = frozenset(
    """
    ambassador envoy spokesperson spokesman spokeswoman official officials minister secretary
    president diplomat diplomats source sources analyst analysts expert experts statement
    release report reports document documents ministry department agency company military
    embassy government lawyer lawyers attorney prosecutor prosecutors judge court researchers
    researcher scientists scientist study survey data coach manager chief director executive
    chairman chairwoman leader leaders police officer officers spokesmen mayor governor senator
    council councillor councilor authorities authority regulator regulators economist
    economists witness witnesses residents resident investigators investigator insiders
    insider observers critics critic counterpart aide aides adviser advisers advisor advisors
    head founder owner chancellor premier commissioner inspector detective sheriff captain
    player players teammate officials organizers organisers campaigners activists activist
    economists doctor doctors nurse spokespeople representative representatives barrister
    barristers solicitor solicitors counsel chair chairs treasurer engineer
    """.split()
)
STOPWORDS = frozenset(
    """
    a an the and or but if of in on at to for from by with without about as into over under
    after before since until while although though because so than then that this these those
    it its he she they we you i his her their our your my me him them us is are was were be
    been being has have had do does did will would shall should can could may might must not no
    also only just even very more most much many some any all each every both either neither
    one there here what which who whom whose when where why how
    """.split()
)

# Month and weekday names as regular-expression fragments, for every finder that reads dates.
MONTH_FULL = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
MONTH = rf"(?:{MONTH_FULL}|{MONTH_ABBR})"
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

# A word as counted for "enough words" rules: letters, digits, apostrophes and hyphens ("don't", "dual-use").
WORD = r"[\w’'-]+"


def _inflections(base: str) -> set[str]:
    """Regular forms of a verb: "warn" → warn, warns, warned, warning."""
    if base.endswith("ee"):
        return {base, base + "s", base + "d", base + "ing"}
    if base.endswith("e"):
        return {base, base + "s", base + "d", base[:-1] + "ing"}
    if base.endswith("y") and base[-2] not in "aeiou":
        return {base, base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    return {base, base + "s", base + "ed", base + "ing"}


# Verbs that report speech or writing, every form: the parse says which word is the verb,
# this list says whether it reports what someone said.
SPEECH_VERB_FORMS = frozenset(
    form
    for base in """
        add acknowledge admit advise affirm agree allege announce answer argue assert assure
        boast brag caution charge chide cite claim comment complain concede conclude confirm
        contend continue counter declare decry demand deny describe disclose dismiss echo
        emphasize emphasise exclaim explain insist joke lament maintain mention muse note
        observe opine plead pledge point post predict proclaim promise quip recall recount
        reiterate remark reply report respond retort reveal scoff shout state stress suggest
        testify tweet urge vow warn wonder yell grumble criticize criticise
        blast slam accuse question ask
        """.split()
    for form in _inflections(base)
) | frozenset(
    """
    say says said saying tell tells told telling write writes wrote written writing
    tweeted tweeting retweeted posted chimed sang sing sings singing spoke speak speaks speaking
    put puts quoted admitted admitting quipped quipping
    """.split()
)

# Nouns for what someone said or wrote: "Trump's claim that ...", "the senator's remarks".
SPEECH_NOUNS = frozenset(
    """
    claim claims statement statements remark remarks comment comments words word tweet tweets
    letter message speech interview testimony assertion argument warning promise pledge
    post posts memo email emails answer response reply description account announcement
    """.split()
)

# Words that accuse someone of wrongdoing: a claim carrying one does harm when it is wrong.
ALLEGATION_PATTERN = (
    r"\b(?:alleg(?:e|es|ed|edly|ation|ations)|accus(?:e|es|ed|ing|ation|ations)|fraud\w*|corrupt\w*|"
    r"brib(?:e|es|ed|ery)|embezzl\w*|launder\w*|kickbacks?|misconduct|abus(?:e|es|ed|ive)|harass\w*|"
    r"assault(?:s|ed|ing)?(?![ \t]+(?:rifles?|weapons?|ships?|craft|vehicles?|helicopters?|troops|teams?))|rap(?:e|ed|ist)|murder\w*|manslaughter|smuggl\w*|traffick\w*|extort\w*|stole|stolen|theft|"
    r"illegal(?:ly)?|unlawful(?:ly)?|indict\w*|convicted|guilty|charged with|sued|lawsuit|scandal|"
    r"plagiari[sz]\w*|falsif\w*|lied|cover[- ]up|war crimes?|misused?|misappropriat\w*)\b"
)

"""Word lists the extractor reasons with, loaded once at import.

The long lists (given names, everyday words, places, organisations, outlets) live as text files in
``data/`` so they can be read and extended without touching code; the short closed classes (titles,
speech verbs, source nouns) are here, next to the rules that use them.
"""

from __future__ import annotations

from importlib import resources

from reader.core.text import without_accents


def _data_lines(name: str) -> list[str]:
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


class GivenNames(dict[str, str]):
    """Given name -> "m", "f" or "u", found with or without accents: news writes "Adèle" and
    "Adele", "José" and "Jose", and a list cannot hold every spelling."""

    def __contains__(self, name: object) -> bool:
        if dict.__contains__(self, name):
            return True
        return type(name) is str and not name.isascii() and dict.__contains__(self, without_accents(name))

    def get(self, name: str, default: str | None = None) -> str | None:  # type: ignore[override]
        found = dict.get(self, name)
        if found is None and not name.isascii():
            found = dict.get(self, without_accents(name))
        return default if found is None else found


def _load_given_names() -> GivenNames:
    """A name listed under both genders becomes "u"; accented names are also kept unaccented."""
    genders = GivenNames()
    for line in _data_lines("given_names.txt"):
        gender, _, names = line.partition(" ")
        for name in names.split():
            for form in {name, without_accents(name)}:
                known = dict.get(genders, form)
                genders[form] = gender if known in (None, gender) else "u"
    return genders


def _load_outlets() -> dict[str, str]:
    """Every written form of an outlet, casefolded -> the name to show."""
    forms: dict[str, str] = {}
    for line in _data_lines("outlets.txt"):
        names = [part.strip() for part in line.split("|") if part.strip()]
        for name in names:
            forms.setdefault(name.casefold(), names[0])
    return forms


GIVEN_NAMES = _load_given_names()
COMMON_WORDS = frozenset(word for line in _data_lines("common_words.txt") for word in line.split())
PLACES = frozenset(_data_lines("places.txt"))
ORGANISATIONS = frozenset(_data_lines("organisations.txt"))
OUTLETS = _load_outlets()

MONTHS = frozenset(
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split()
)
DAYS = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mon Tue Tues Wed Thu Thur Thurs Fri Sat Sun".split()
)
HOLIDAYS = frozenset(
    "Christmas Easter Thanksgiving Halloween Hanukkah Ramadan Eid Diwali Passover Lent "
    "Valentine Valentine's".split()
)
DEMONYMS = frozenset(
    """American Americans British Brit Brits English Scottish Welsh Irish French German Germans
    Italian Spanish Portuguese Dutch Belgian Swiss Austrian Swedish Norwegian Danish Finnish Polish
    Russian Russians Ukrainian Ukrainians Chinese Japanese Korean Indian Pakistani Israeli Israelis
    Palestinian Palestinians Iranian Iraqi Syrian Saudi Egyptian Turkish Greek Mexican Brazilian
    Argentine Argentinian Canadian Australian African Asian European Latino Latina Hispanic Arab
    Muslim Muslims Christian Christians Jewish Jews Catholic Catholics Protestant Hindu Buddhist
    Democrat Democratic Republican Conservative Liberal Labour Tory Tories Socialist Communist
    Western Eastern Northern Southern Caribbean Nordic Baltic Soviet Olympic Paralympic""".split()
)
# Words that mean "the thing named before me is an organisation, a place or an event".
ORG_SUFFIXES = frozenset(
    """Inc Inc. Corp Corp. Corporation Co Co. Ltd Ltd. LLC LLP plc PLC Group Holdings Bank Capital
    Securities Investments Investment Advisors Advisers Research Management Markets Insurance
    Financial Finance Consulting Solutions Logistics Pharma Therapeutics Biotech Robotics
    Partners Ventures Fund Trust Foundation Institute Institution University College School Academy
    Hospital Clinic Church Cathedral Mosque Temple Court Council Committee Commission Agency
    Authority Department Ministry Office Bureau Service Services Administration Association
    Federation Union League Club Society Party Movement Network News Times Post Journal Magazine
    Herald Tribune Gazette Telegraph Chronicle Daily Weekly Records Studios Studio Pictures Films
    Entertainment Media Broadcasting Airlines Airways Air Motors Motor Technologies Technology Tech
    Systems Labs Lab Software Pharmaceuticals Energy Oil Gas Mining Steel Industries Brands Beauty
    Cosmetics Fashion Foods Restaurant Restaurants Hotel Hotels Resort Casino Stores Store Mall
    Health Healthcare Medical Memorial Museum Gallery Library Theatre Theater Gardens Cemetery
    Diagnostics Analytics Semiconductor Semiconductors Biosciences Sciences Television Productions
    Publishing Books Homes Properties Construction Developments Rail Railways Brewery Dairy Farms
    Mills Works Circuit Paper Press Ombudsman Board Tribunal Inquiry Alliance Coalition Campaign
    Live Contact
    Street St Avenue Ave Road Rd Boulevard Lane Square Stadium Arena Centre Center Tower
    Towers Building Bridge Airport Station Port Harbour Harbor Island Islands River Lake Mountain
    Mountains Valley Canyon Beach Coast County Province State States Republic Kingdom Empire
    City Town Village Heights Hills Springs Falls Forest Desert Sea Ocean Gulf Region Prize Award
    Awards Cup Championship Championships Open Trophy Games Olympics Festival Fest Show Series Tour
    Act Bill Treaty Accord Plan Programme Program Project Initiative Summit Conference Forum Index
    Stock Exchange Reserve Cos Cos. Enterprise Enterprises Global Brothers Bros Bros. FC AFC CF SC United
    Rovers Athletic Albion Wanderers Hotspur Town Villa
    Wednesday Argyle Orient Lives Matter Week Era
    War Wars Revolution Crisis Scandal Affair Trial Report Review Survey Census Budget
    Vaccine Vaccines Virus Disease Syndrome Administration Government Parliament Assembly Senate
    Congress Cabinet Council Police Army Navy Force Forces Guard Corps Command Brigade""".split()
)
# The suffixes of ORG_SUFFIXES that name places, not bodies that speak ("Downing Street" is listed
# among the organisations on its own).
PLACE_SUFFIXES = frozenset(
    """Street St Avenue Ave Road Rd Boulevard Lane Square Stadium Arena Centre Center Tower Towers
    Building Bridge Airport Station Port Harbour Harbor Island Islands River Lake Mountain Mountains
    Valley Canyon Beach Coast County Province State States Republic Kingdom Empire City Town Village
    Heights Hills Springs Falls Forest Desert Sea Ocean Gulf Region Park Gardens Cemetery Bay Field
    Fields Hill Meadow Meadows Pier Wharf""".split()
)
# Titles written before a name ("Sen. Patricia Holloway", "Mr Pryce"): evidence of a person.
HONORIFICS = frozenset(
    """Mr Mr. Mrs Mrs. Ms Ms. Miss Mx Dr Dr. Prof Prof. Professor Sir Dame Lord Lady Sen Sen.
    Senator Rep Rep. Representative Gov Gov. Governor President Minister Chancellor Secretary
    Judge Justice Gen Gen. General Col Col. Colonel Capt Capt. Captain Lt Lt. Lieutenant Sgt Sgt.
    Sergeant Admiral Commander Coach Rev Rev. Reverend Bishop Archbishop Cardinal Rabbi Imam
    Sheikh Detective Det. Officer Inspector Constable Mayor Premier Ambassador Commissioner
    Chairman Chairwoman Chair CEO Speaker Leader Director Attorney Agent Dean Superintendent
    Councillor Councilman Councilwoman Assemblyman Assemblywoman Congressman Congresswoman MP
    Sheriff Pastor Father Brother Sister St. Cllr Cllr. Supt Insp DCI""".split()
)
# Words that only qualify a title ("Prime Minister", "Senate Minority Leader", "Health Secretary").
TITLE_MODIFIERS = frozenset(
    """Vice Prime Deputy Acting Interim Former Senior Junior First Foreign Home Health Defence
    Defense Finance Treasury State Justice Transport Education Culture Shadow Executive Chief
    Majority Minority Press Lead Principal Assistant Associate Managing General""".split()
)
TITLES = HONORIFICS | TITLE_MODIFIERS
ROYAL_TITLES = frozenset("King Queen Prince Princess Duke Duchess Earl Countess Pope Emperor Empress".split())
# Lower-case words that, written just before a capitalised name, say it is a person.
ROLE_NOUNS = frozenset(
    """coach manager boss striker midfielder defender goalkeeper keeper forward winger fullback
    quarterback receiver linebacker pitcher catcher outfielder shortstop infielder guard centre
    center rookie captain skipper teammate player star superstar actor actress singer rapper
    musician songwriter producer director filmmaker comedian host presenter model designer author
    writer novelist poet artist painter chef founder co-founder cofounder ceo executive chairman
    chairwoman chair president vice-president chancellor minister senator governor lawmaker
    legislator congressman congresswoman mayor candidate nominee leader spokesman spokeswoman
    spokesperson analyst economist strategist lawyer attorney judge prosecutor detective officer
    sheriff official secretary adviser advisor aide professor researcher scientist doctor nurse
    investor billionaire millionaire entrepreneur businessman businesswoman banker trader reporter
    journalist columnist correspondent editor anchor wife husband son daughter mother father mom mum dad brother
    sister grandmother grandfather grandson granddaughter uncle aunt nephew niece cousin girlfriend
    boyfriend fiance fiancé fiancee fiancée partner widow widower heroine hero legend veteran
    champion winner driver rider golfer boxer fighter swimmer sprinter runner skater gymnast
    cyclist batsman batter bowler jockey trainer owner opponent rival challenger incumbent
    activist campaigner protester victim suspect defendant plaintiff witness survivor inmate
    teenager student pupil pastor priest bishop rabbi imam mogul tycoon heiress heir socialite
    influencer youtuber streamer podcaster dj drummer guitarist bassist vocalist frontman
    frontwoman bandmate co-star costar newcomer premier chancellor envoy diplomat ambassador
    commissioner chief boss head founder owner director superstar icon star referee umpire
    stepfather stepmother stepson stepdaughter mother-in-law father-in-law sister-in-law
    brother-in-law ex-wife ex-husband ex-girlfriend ex-boyfriend sibling twin baby midwife collector
    resident voter customer shopper passenger worker employee patient parent neighbour neighbor fan
    visitor tourist buyer seller dealer landlord tenant homeowner farmer pensioner bystander
    councillor councilor barrister solicitor counsel juror governor teacher nurse surgeon physician
    consultant engineer manager director president secretary spokesperson spokesman spokeswoman
    archbishop cardinal chairperson premier regulator assistant""".split()
)
FAMILY_NOUNS = frozenset(
    """son sons daughter daughters child children kid kids baby babies twins twin grandchildren
    grandson granddaughter offspring""".split()
)
# Verbs that introduce or close a quotation ("she said", "said the source", "he told People").
SPEECH_VERBS = frozenset(
    """say says said saying tell tells told telling add adds added adding explain explains
    explained explaining continue continues continued continuing notes noted noting claim claims
    claimed claiming insist insists insisted insisting stated write writes wrote writing tweeted
    posted shares shared sharing reveal reveals revealed revealing dished admit admits admitted
    admitting recall recalls recalled recalling asks asked asking replies replied replying
    responds responded answered argue argues argued arguing warn warns warned warning declares
    declared announces announced confirms confirmed suggests suggested remarked observed
    comments commented reports reported acknowledges acknowledged concedes conceded joked
    quipped exclaimed shouted yelled screamed whispered cried sobbed ranted raved boasted
    bragged complains complained vows vowed pledged promised predicts predicted urges urged
    demanded describes described stressed emphasised emphasized maintains maintained contended
    alleges alleged countered reiterated agreed gushed gushes teased hinted mused wondered
    concluded texted captioned penned chimed spilled clarified clarifies disclosed divulged
    detailed assured reckoned estimated slammed blasted fumed lamented apologised apologized
    explains continues pointed went hit fired snapped raged called calls calling praised
    praises hailed hails accused accuses described criticised criticized condemned welcomed
    dismissed blamed credited defended attacked labelled labeled shot mouthed murmured muttered
    sighed laughed beamed gasped scoffed radioed recounted sang branded dubbed accepted accepts
    denied denies rejected rejects retorted pleaded predicts urges warns stating announcing
    confirming conceding acknowledging accusing describing stressing insisting reiterates tweeting
    vowing call slams blasts recorded urging quoted highlighted believes believed thinks feels
    hopes fears expects forecast forecasts""".split()
)
# Nouns for unnamed people who speak ("a source", "an insider", "officials").
SOURCE_NOUNS = frozenset(
    """source sources insider insiders friend friends pal pals confidant confidante ally allies spokesman
    spokeswoman spokesperson spokespeople representative representatives rep reps official
    officials aide aides associate associates relative relatives witness witnesses neighbour
    neighbor neighbours neighbors onlooker onlookers observer observers expert experts analyst
    analysts person people individual employee employees staffer staffers member members
    executive executives lawyer lawyers attorney attorneys police authorities statement
    spokesmen eyewitness eyewitnesses mole tipster critics residents prosecutors investigators
    campaigners researchers scientists economists doctors lawmakers legislators diplomats diplomat
    officers workers fans protesters activists organisers organizers MP MPs backbencher
    backbenchers ministers negotiators envoys authors supporters opponents jurors teachers nurses
    parents students voters locals villagers traders bankers investors campaigner critic victims
    relatives""".split()
)
# Nouns for organisations that speak ("the company said", "the federation added").
ORG_NOUNS = frozenset(
    """company firm club team government ministry department agency council committee
    commission court party campaign group organisation organization union league federation
    association board office administration bank network studio label brand publisher
    broadcaster school university hospital charity institute institution authority regulator
    watchdog trust foundation body service force army navy airline carrier retailer supermarket
    chain insurer lender manufacturer maker carmaker operator developer coalition alliance society
    movement college tribunal inquiry panel parliament assembly senate congress cabinet embassy
    consulate prosecution defence defense council federation confederation chamber exchange fund
    business group airport port station museum gallery theatre orchestra festival corporation
    regulator broadcaster""".split()
)
# Things, not people, that "say" something ("the report said"): their words have no person.
DOCUMENT_NOUNS = frozenset(
    """report study survey lawsuit complaint filing letter document website post account
    magazine outlet newspaper paper publication site statement memo note email ruling judgment
    verdict order bill law plan proposal poll review analysis paper advert advertisement minutes
    newsletter blog bulletin guidance""".split()
)
# Nouns for a person by nationality, used like "the Spaniard said".
NATIONALITY_NOUNS = frozenset(
    """Spaniard Pole Briton Frenchman Frenchwoman Dutchman Dutchwoman Englishman Englishwoman Scot
    Welshman Irishman Swede Dane Finn Norwegian German Italian American Australian Canadian Russian
    Ukrainian Serb Croat Brazilian Argentine Argentinian Mexican Japanese Chinese Kenyan Nigerian
    Texan Californian Londoner Parisian Belgian Portuguese Greek Turk Israeli Iranian Indian
    Pakistani Egyptian Moroccan Ghanaian Jamaican Colombian Chilean Peruvian Austrian Czech
    Hungarian Romanian Bulgarian Georgian Kazakh Korean""".split()
)
# Words written between a subject and its speech verb ("the source also added").
ADVERBS = frozenset(
    """also then later previously earlier recently once again further exclusively reportedly
    allegedly apparently reportedly simply just even still has had have was is will would
    quickly promptly candidly bluntly openly publicly privately separately additionally
    repeatedly always never often initially subsequently meanwhile however briefly angrily
    firmly flatly immediately quietly""".split()
)
# Lower-case joining words that may sit inside a name ("Erik ten Hag", "Ludwig van Beethoven").
NAME_PARTICLES = frozenset(
    "van von de der den da di du del della la le ten ter bin binti ibn al el dos das ap ab af zu".split()
)
NAME_SUFFIXES = frozenset("Jr Jr. Sr Sr. II III IV".split())
# Letters after a name that are no part of it ("Brendan O'Hare KC", "Dame Ann Holt DBE").
POST_NOMINALS = frozenset("KC QC SC OBE MBE CBE KBE DBE GBE FRS PhD MD RN DPhil MSc BSc JP".split())

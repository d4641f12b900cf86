"""The two scenario lessons Baken ships with (issue 7; seed 000's "Doorsturen doe je niet!" quest
for 12–14-year-olds, and recruitment for "easy money" into criminal exploitation).

Written for pupils aged 12 to 14, in Dutch, as a prevention educator would tell them. Every name
in them is invented. Scenes are listed with a key; ``leads_to`` names the key of the next scene.
``services.scenarios_install`` stores them through the same checks as the editor.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict


class ShippedScene(TypedDict):
    key: str
    title: str
    text: str
    ending: NotRequired[bool]
    #: A survivor's own words, shown after the scene.
    voice: NotRequired[str]
    #: (label, key of the next scene, consequence shown after choosing).
    choices: NotRequired[list[tuple[str, str, str]]]


class ShippedScenario(TypedDict):
    slug: str
    title: str
    audience: str
    theme: str
    summary: str
    debrief: str
    help_text: str
    scenes: list[ShippedScene]


HELP_TEXT = (
    "Zit jij of iemand die je kent in zo'n situatie? Het is nooit jouw schuld.\n"
    "Praat met iemand die je vertrouwt: je ouders, je mentor, de vertrouwenspersoon op school. "
    "Of chat anoniem met Baken: je hoeft je naam niet te zeggen.\n"
    "Ben je in direct gevaar? Bel 112."
)

FORWARDING: ShippedScenario = {
    "slug": "doorsturen-doe-je-niet",
    "title": "Doorsturen doe je niet",
    "audience": "Leerlingen van 12 tot 14 jaar",
    "theme": "sexual",
    "summary": (
        "Een naaktfoto van een klasgenoot gaat rond in de groepsapp. De klas kiest wat ze doet, "
        "en ziet wat er gebeurt als iemand de foto gebruikt om te dreigen (sextortion). De les "
        "leert: doorsturen is strafbaar en doet pijn, afpersing houdt niet op door toe te geven, "
        "en hulp vragen werkt."
    ),
    "debrief": (
        "Wie heeft de schuld als een foto rondgaat: wie hem maakte, of wie hem doorstuurt?\n"
        "Waarom is het moeilijk om in een groepsapp iets te zeggen?\n"
        "Wat kun je doen als iemand jou of een vriend bedreigt met een foto?\n"
        "Onthoud: niet betalen, niets meer sturen, screenshots bewaren, blokkeren en het aan een "
        "volwassene vertellen. Een naaktfoto van iemand onder de 18 doorsturen is strafbaar."
    ),
    "help_text": HELP_TEXT,
    "scenes": [
        {
            "key": "start",
            "title": "Een foto in de groepsapp",
            "text": (
                "Het is dinsdagavond. Je ligt op bed met je telefoon. In de groepsapp van je klas "
                "stuurt Daan een foto: een naaktfoto van Noor uit 2C. 'Kijk wat ik heb 😂'.\n"
                "Er komen meteen lachende emoji's. Iemand vraagt: 'Wie heeft hem nog meer?'"
            ),
            "choices": [
                (
                    "Ik stuur hem door naar mijn beste vriend",
                    "doorgestuurd",
                    "Je vriend stuurt hem ook weer door. Binnen een uur hebben tientallen mensen "
                    "de foto, ook mensen die Noor nooit heeft gezien.",
                ),
                (
                    "Ik doe niks en scrol verder",
                    "afpersing",
                    "De foto blijft rondgaan. Niemand zegt er iets van, dus het lijkt normaal.",
                ),
                (
                    "Ik zeg in de app dat dit niet oké is en verwijder de foto",
                    "afpersing",
                    "Het wordt even stil in de app. Daarna schrijven twee anderen: 'Klopt, "
                    "verwijder hem.' Maar de foto is al verder gegaan.",
                ),
            ],
        },
        {
            "key": "doorgestuurd",
            "title": "De volgende ochtend",
            "text": (
                "Noor is niet op school. Op het plein praat iedereen over de foto. Je mentor "
                "roept de klas bij elkaar en zegt: een naaktfoto van iemand onder de 18 "
                "doorsturen is strafbaar, ook als je hem niet zelf hebt gemaakt."
            ),
            "voice": (
                "Ik had die foto aan één jongen gestuurd die ik vertrouwde. Elke keer dat iemand "
                "hem doorstuurde, voelde het alsof het opnieuw gebeurde."
            ),
            "choices": [
                (
                    "Ik zeg niks, straks krijg ik problemen",
                    "afpersing",
                    "Je houdt je stil. Het blijft door je hoofd gaan.",
                ),
                (
                    "Ik vertel mijn mentor dat ik hem heb doorgestuurd",
                    "eerlijk",
                    "Je mentor is geschrokken, maar blij dat je het zegt.",
                ),
            ],
        },
        {
            "key": "afpersing",
            "title": "Een bericht van een onbekende",
            "text": (
                "Een week later zoekt Noor je op in de pauze. Ze heeft een bericht gekregen van "
                "een account dat ze niet kent: 'Ik heb je foto. Stuur me meer, anders stuur ik "
                "hem naar je ouders en je hele school.'\n"
                "Noor is in paniek en vraagt wat ze moet doen."
            ),
            "choices": [
                (
                    "Zeg dat ze moet doen wat hij vraagt, dan houdt het op",
                    "steeds-meer",
                    "Noor stuurt één foto. Een uur later vraagt het account om een video.",
                ),
                (
                    "Zeg dat ze hem moet blokkeren en er verder niks mee hoeft",
                    "nieuw-account",
                    "Noor blokkeert het account. Twee dagen is het stil.",
                ),
                (
                    "Help haar om het aan een volwassene te vertellen",
                    "hulp",
                    "Samen lopen jullie naar de vertrouwenspersoon van school.",
                ),
            ],
        },
        {
            "key": "nieuw-account",
            "title": "Een nieuw account",
            "text": (
                "Dan komt er een bericht van een ander account: 'Dacht je dat blokkeren hielp? "
                "Je hebt tot vanavond.' Er staat een screenshot bij van Noors volgers."
            ),
            "choices": [
                (
                    "Noor stuurt toch wat hij vraagt",
                    "steeds-meer",
                    "Het account bedankt haar. En vraagt meteen om meer.",
                ),
                (
                    "Jullie maken screenshots en gaan naar een volwassene",
                    "hulp",
                    "Noors moeder weet eerst niet wat ze moet zeggen. Dan pakt ze Noors hand.",
                ),
            ],
        },
        {
            "key": "eerlijk",
            "title": "Eerlijk zeggen wat je deed",
            "ending": True,
            "text": (
                "Je mentor helpt je de foto overal te verwijderen en laat de school een melding "
                "maken. Noor krijgt hulp. Het was fout om de foto door te sturen, maar door "
                "eerlijk te zijn help je om het te stoppen."
            ),
            "voice": (
                "Dat iemand zei 'sorry, ik heb hem doorgestuurd' maakte het niet weg. Maar het "
                "was de eerste keer dat ik me niet helemaal alleen voelde."
            ),
        },
        {
            "key": "steeds-meer",
            "title": "Het houdt niet op",
            "ending": True,
            "text": (
                "Elke keer dat Noor iets stuurt, wil het account meer. Ze durft niet meer naar "
                "school en slaapt slecht. Afpersers stoppen niet omdat je doet wat ze vragen: ze "
                "hebben dan alleen meer om mee te dreigen."
            ),
            "voice": (
                "Ik dacht: nog één keer en dan is het klaar. Maar het werd alleen maar meer. Pas "
                "toen ik het aan mijn tante vertelde, stopte het. Ik had het eerder moeten zeggen, "
                "maar ik schaamde me zo."
            ),
        },
        {
            "key": "hulp",
            "title": "Hulp halen",
            "ending": True,
            "text": (
                "De vertrouwenspersoon neemt Noor serieus. Ze bewaren de screenshots, Noor stuurt "
                "niets meer, en samen met haar ouders doen ze aangifte bij de politie. De foto "
                "wordt van de sites gehaald waar hij stond. Het is niet Noors schuld: de schuld "
                "ligt bij wie dreigt."
            ),
            "voice": (
                "Het moeilijkste was de eerste zin: 'Er is iets gebeurd.' Daarna hoefde ik het "
                "niet meer alleen te dragen."
            ),
        },
    ],
}

EASY_MONEY: ShippedScenario = {
    "slug": "makkelijk-geld",
    "title": "Makkelijk geld",
    "audience": "Leerlingen van 12 tot 14 jaar",
    "theme": "criminal",
    "summary": (
        "Op Snapchat belooft een oudere jongen 500 euro voor 'een simpel klusje'. De klas "
        "kiest, en ziet hoe ronselaars werken: cadeautjes, een schuld die nooit kleiner wordt, "
        "dreigen. De les leert herkennen wanneer 'makkelijk geld' criminele uitbuiting is, en "
        "dat wie gedwongen wordt slachtoffer is."
    ),
    "debrief": (
        "Waaraan kon je zien dat het geen gewoon bijbaantje was?\n"
        "Waarom zijn jongeren voor ronselaars zo interessant?\n"
        "Wat is het verschil tussen een vriend en iemand die je gebruikt?\n"
        "Onthoud: wie gedwongen wordt om strafbare dingen te doen, is slachtoffer van "
        "uitbuiting. Je bankpas uitlenen is nooit 'zomaar': je kunt er jaren last van hebben."
    ),
    "help_text": HELP_TEXT,
    "scenes": [
        {
            "key": "start",
            "title": "Een story op Snapchat",
            "text": (
                "Je bent veertien. Op Snapchat zie je een story van Rayan, een jongen van 19 uit "
                "de buurt: stapels briefjes, nieuwe sneakers. 'Wie wil 500 euro verdienen in één "
                "dag? Simpel werk. DM me.'\n"
                "Jij wilt al maanden nieuwe schoenen."
            ),
            "choices": [
                (
                    "Ik stuur hem een DM",
                    "klusje",
                    "Binnen een minuut antwoordt Rayan: 'Goed dat je er bent, broer.'",
                ),
                (
                    "Ik reageer niet",
                    "milan",
                    "Je scrolt verder. Maar de story blijft in je hoofd zitten.",
                ),
            ],
        },
        {
            "key": "milan",
            "title": "Milan",
            "text": (
                "Een week later heeft je vriend Milan ineens nieuwe sneakers en een nieuwe "
                "telefoon. Hij is vaak moe en schrikt elke keer als zijn telefoon gaat. Hij zegt "
                "dat hij 'wat klusjes doet voor Rayan'."
            ),
            "choices": [
                (
                    "Ik vraag hoe het echt met hem gaat",
                    "hulp",
                    "Milan zegt eerst dat alles prima is. Dan begint hij te huilen.",
                ),
                (
                    "Ik vraag of ik ook mee mag doen",
                    "klusje",
                    "Milan kijkt je lang aan. 'Weet je het zeker?' Hij stuurt je Rayans nummer.",
                ),
            ],
        },
        {
            "key": "klusje",
            "title": "Het klusje",
            "text": (
                "Rayan stuurt een bericht: 'Je hoeft alleen een pakketje van het station naar "
                "een adres te brengen. Niet openmaken, niks vragen.' Daarna: 'Of je leent me je "
                "bankpas voor een dag. Dan krijg je 200 euro, zonder iets te doen.'"
            ),
            "choices": [
                (
                    "Ik breng het pakketje",
                    "schuld",
                    "Het gaat goed. Je krijgt geen 500 euro, maar 50. 'De rest komt nog.'",
                ),
                (
                    "Ik leen hem mijn bankpas",
                    "bankpas",
                    "Rayan is blij. Je krijgt 200 euro in je hand.",
                ),
                (
                    "Ik zeg nee",
                    "aandringen",
                    "'Jammer,' schrijft Rayan. 'Ik dacht dat jij wel lef had.'",
                ),
            ],
        },
        {
            "key": "aandringen",
            "title": "Hij blijft aandringen",
            "text": (
                "De dagen daarna krijg je steeds berichten. Eerst aardig, dan niet meer: 'Ik "
                "weet waar je woont. Eén klusje maar, dan laat ik je met rust.'"
            ),
            "choices": [
                (
                    "Ik doe het toch, anders gebeurt er iets",
                    "schuld",
                    "Je brengt het pakketje. Je handen trillen de hele weg.",
                ),
                (
                    "Ik blokkeer hem en vertel het aan mijn mentor",
                    "hulp",
                    "Je mentor luistert en zegt: 'Goed dat je komt. Dit pakken we samen aan.'",
                ),
            ],
        },
        {
            "key": "bankpas",
            "title": "Je bankpas",
            "text": (
                "Een week later is je rekening geblokkeerd. Er is duizenden euro's overgemaakt "
                "van mensen die zijn opgelicht. De bank zet je naam in een register voor fraude: "
                "jarenlang krijg je moeilijk een rekening of een telefoonabonnement. En de politie "
                "wil je spreken."
            ),
            "voice": (
                "Ik dacht dat het een gunst was. Een bankpas, wat kan er gebeuren? Ik was vijftien "
                "en stond ineens te boek als fraudeur."
            ),
            "choices": [
                (
                    "Ik vertel mijn ouders en de politie hoe het zat",
                    "hulp",
                    "Je ouders zijn boos, en dan bezorgd. Ze gaan met je mee naar de politie.",
                ),
                (
                    "Ik doe nog een klusje voor Rayan, dan verdien ik het terug",
                    "schuld",
                    "Rayan lacht. 'Je hebt me nodig, hè?'",
                ),
            ],
        },
        {
            "key": "schuld",
            "title": "Je staat in het krijt",
            "text": (
                "Na een paar klusjes zegt Rayan dat een pakketje is 'kwijtgeraakt'. Jij bent er "
                "verantwoordelijk voor: je hebt nu een schuld van 2.000 euro. Hij stuurt je een "
                "foto van de school van je broertje."
            ),
            "voice": (
                "Ze zeiden dat ik een schuld had. Ik wist niet eens waarvan. Ik dacht dat ik alleen "
                "mezelf kon redden door door te gaan."
            ),
            "choices": [
                (
                    "Ik ga door tot de schuld is afbetaald",
                    "dieper",
                    "Elke week is de schuld weer hoger. 'Rente,' zegt Rayan.",
                ),
                (
                    "Ik vertel het aan iemand die ik vertrouw",
                    "hulp",
                    "Je oom ziet meteen dat er iets is. Je vertelt alles.",
                ),
            ],
        },
        {
            "key": "dieper",
            "title": "Steeds dieper",
            "ending": True,
            "text": (
                "De schuld wordt nooit kleiner. Je spijbelt, liegt thuis en moet steeds gevaarlijker "
                "dingen doen. Dit heet criminele uitbuiting: iemand laat jou strafbare dingen doen "
                "en houdt je vast met een schuld en met angst. Het is een vorm van mensenhandel."
            ),
            "voice": (
                "Niemand had me vastgebonden, en toch kon ik niet weg. Dat begrijpen mensen pas als "
                "je het uitlegt."
            ),
        },
        {
            "key": "hulp",
            "title": "Iemand weet het",
            "ending": True,
            "text": (
                "Je vertelt wat er gebeurd is. Samen met een volwassene die je vertrouwt ga je naar "
                "de politie; er komt iemand die je helpt en je familie beschermt. Wie gedwongen "
                "wordt om strafbare dingen te doen, is slachtoffer, geen dader. Rayan is niet je "
                "vriend: hij gebruikt jongeren omdat zij minder snel opvallen."
            ),
            "voice": (
                "Ik was bang dat ik zelf in de cel zou komen. Ze zeiden: jij bent hier het "
                "slachtoffer. Dat zinnetje vergeet ik nooit."
            ),
        },
    ],
}

SHIPPED: list[ShippedScenario] = [FORWARDING, EASY_MONEY]

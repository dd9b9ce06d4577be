// Hand-written demo material for Nurmijärvi: municipality, villages, categories, organisations and event templates.
import { PLACES } from "./data-places.ts";
import { TEMPLATES_COMMUNITY } from "./templates-community.ts";
import { TEMPLATES_CULTURE } from "./templates-culture.ts";
import { TEMPLATES_SEASONAL } from "./templates-seasonal.ts";
import { TEMPLATES_SPORT } from "./templates-sport.ts";
import type { SeedCategory, SeedEventTemplate, SeedOrganisation, SeedVillage } from "./types.ts";

export { PLACES };

export const MUNICIPALITY: {
  name: { fi: string; sv: string };
  slug: string;
  lat: number;
  lon: number;
  websiteDomain: string;
} = {
  name: { fi: "Nurmijärvi", sv: "Nurmijärvi" },
  slug: "nurmijarvi",
  lat: 60.4641,
  lon: 24.8073,
  websiteDomain: "nurmijarvi.example.fi",
};

export const VILLAGES: SeedVillage[] = [
  { slug: "kirkonkyla", name: { fi: "Nurmijärven kirkonkylä", sv: "Nurmijärvi kyrkby" } },
  { slug: "klaukkala", name: { fi: "Klaukkala", sv: "Klövskog" } },
  { slug: "rajamaki", name: { fi: "Rajamäki" } },
  { slug: "roykka", name: { fi: "Röykkä" } },
  { slug: "perttula", name: { fi: "Perttula" } },
  { slug: "kiljava", name: { fi: "Kiljava" } },
  { slug: "palojoki", name: { fi: "Palojoki" } },
  { slug: "lepsama", name: { fi: "Lepsämä" } },
  { slug: "metsakyla", name: { fi: "Metsäkylä" } },
];

export const CATEGORIES: SeedCategory[] = [
  { slug: "liikunta", name: { fi: "Liikunta", sv: "Idrott", en: "Sport" }, ysoId: "p916" },
  { slug: "kulttuuri", name: { fi: "Kulttuuri", sv: "Kultur", en: "Culture" } },
  { slug: "musiikki", name: { fi: "Musiikki", sv: "Musik", en: "Music" }, ysoId: "p1808" },
  { slug: "teatteri", name: { fi: "Teatteri", sv: "Teater", en: "Theatre" } },
  { slug: "nayttelyt", name: { fi: "Näyttelyt", sv: "Utställningar", en: "Exhibitions" }, ysoId: "p5121" },
  { slug: "kirjasto", name: { fi: "Kirjasto", sv: "Bibliotek", en: "Library" } },
  { slug: "luennot", name: { fi: "Luennot", sv: "Föreläsningar", en: "Lectures" }, ysoId: "p15875" },
  { slug: "lapset", name: { fi: "Lapset", sv: "Barn", en: "Children" }, ysoId: "p4354" },
  { slug: "nuoret", name: { fi: "Nuoret", sv: "Unga", en: "Young people" }, ysoId: "p11617" },
  { slug: "perheet", name: { fi: "Perheet", sv: "Familjer", en: "Families" } },
  { slug: "seniorit", name: { fi: "Seniorit", sv: "Seniorer", en: "Seniors" }, ysoId: "p2433" },
  {
    slug: "luonto",
    name: { fi: "Luonto ja ulkoilu", sv: "Natur och friluftsliv", en: "Nature and outdoors" },
  },
  { slug: "ruoka", name: { fi: "Ruoka", sv: "Mat", en: "Food" } },
  { slug: "markkinat", name: { fi: "Markkinat", sv: "Marknader", en: "Markets" } },
  { slug: "yhdistykset", name: { fi: "Yhdistykset", sv: "Föreningar", en: "Associations" } },
  { slug: "kurssit", name: { fi: "Kurssit", sv: "Kurser", en: "Courses" } },
  { slug: "hengellinen", name: { fi: "Hengellinen", sv: "Andligt", en: "Faith" } },
  { slug: "juhlat", name: { fi: "Juhlat", sv: "Fester", en: "Celebrations" } },
  { slug: "kylat", name: { fi: "Kylät", sv: "Byar", en: "Villages" } },
  { slug: "tanssi", name: { fi: "Tanssi", sv: "Dans", en: "Dance" } },
  { slug: "elokuvat", name: { fi: "Elokuvat", sv: "Film", en: "Film" } },
  { slug: "kasityo", name: { fi: "Käsityö", sv: "Hantverk", en: "Crafts" } },
];

const org = (
  slug: string,
  name: string,
  kind: SeedOrganisation["kind"],
  description: SeedOrganisation["description"],
  opts: { site?: boolean; trusted?: boolean } = {},
): SeedOrganisation => ({
  slug,
  name,
  kind,
  description,
  ...(opts.site === false
    ? {}
    : { website: `https://${slug}.example.fi`, publicEmail: `info@${slug}.example.fi` }),
  trusted: opts.trusted ?? kind === "municipality",
});

export const ORGANISATIONS: SeedOrganisation[] = [
  // Municipal departments
  org("kirjasto", "Nurmijärven kirjasto", "municipality", {
    fi: "Nurmijärven kirjasto palvelee pääkirjastossa kirkonkylässä sekä Klaukkalan ja Rajamäen lähikirjastoissa.",
    sv: "Nurmijärvi bibliotek betjänar i huvudbiblioteket i kyrkbyn och i närbiblioteken i Klövskog och Rajamäki.",
    en: "Nurmijärvi Library serves residents at the main library and the branch libraries in Klaukkala and Rajamäki.",
  }),
  org("liikuntapalvelut", "Nurmijärven liikuntapalvelut", "municipality", {
    fi: "Liikuntapalvelut ylläpitää kunnan liikuntapaikkoja ja järjestää ohjattua liikuntaa kaikenikäisille.",
    sv: "Idrottstjänsterna sköter kommunens idrottsplatser och ordnar ledd motion för alla åldrar.",
  }),
  org("kulttuuripalvelut", "Nurmijärven kulttuuripalvelut", "municipality", {
    fi: "Kulttuuripalvelut tuo konsertteja, näyttelyitä ja yleisötapahtumia kaikkiin Nurmijärven kyliin.",
    sv: "Kulturtjänsterna ordnar konserter, utställningar och evenemang i alla Nurmijärvis byar.",
    en: "Cultural Services brings concerts, exhibitions and public events to every village in Nurmijärvi.",
  }),
  org("nuorisopalvelut", "Nurmijärven nuorisopalvelut", "municipality", {
    fi: "Nuorisopalvelut ylläpitää nuorisotiloja ja järjestää harrastuksia, leirejä ja tapahtumia 10–17-vuotiaille.",
  }),
  org("opisto", "Nurmijärven opisto", "municipality", {
    fi: "Nurmijärven opisto on kunnan kansalaisopisto, jonka kursseille voi osallistua iästä ja pohjakoulutuksesta riippumatta.",
    sv: "Nurmijärvi medborgarinstitut erbjuder kurser för alla oberoende av ålder och utbildning.",
  }),
  org("museopalvelut", "Nurmijärven museopalvelut", "municipality", {
    fi: "Museopalvelut vaalii paikallishistoriaa ja hoitaa Aleksis Kiven syntymäkotia Palojoella.",
    en: "Museum Services cares for local history and runs Aleksis Kivi's birthplace museum in Palojoki.",
  }),
  // Associations — the first one must be the sports club (demo organiser account).
  org("kisaveikot", "Klaukkalan Kisa-Veikot ry", "association", {
    fi: "Klaukkalan Kisa-Veikot on klaukkalalainen yleisseura, jossa harrastetaan yleisurheilua, salibandya ja kuntoliikuntaa.",
    en: "Klaukkalan Kisa-Veikot is a multi-sport club offering athletics, floorball and fitness activities for all ages.",
  }),
  org("rajamaen-palloilijat", "Rajamäen Palloilijat ry", "association", {
    fi: "Rajamäen Palloilijat on jalkapallo- ja futsalseura, jonka junioritoiminnassa pelaa yli kaksisataa lasta ja nuorta.",
  }),
  org("kiljavan-latu", "Kiljavan Latu ry", "association", {
    fi: "Kiljavan Latu järjestää hiihtoa, retkeilyä ja ulkoilua Kiljavanharjun maastoissa.",
    sv: "Kiljavan Latu ordnar skidåkning, vandringar och friluftsliv i terrängen kring Kiljavaåsen.",
  }),
  org("savelkivi", "Sekakuoro Sävelkivi ry", "association", {
    fi: "Sävelkivi on noin neljäkymmentä laulajaa kokoava sekakuoro, joka esiintyy konserteissa ja kirkollisissa tilaisuuksissa.",
  }),
  org("roykan-kylayhdistys", "Röykän kyläyhdistys ry", "association", {
    fi: "Röykän kyläyhdistys pitää yllä kylätaloa ja järjestää kyläläisille yhteisiä tapahtumia ympäri vuoden.",
  }),
  org("perttulan-kylayhdistys", "Perttulan kyläyhdistys ry", "association", {
    fi: "Perttulan kyläyhdistys edistää kylän viihtyisyyttä ja järjestää kyläpäiviä, talkoita ja juhlia.",
  }),
  org("palojoen-kylaseura", "Palojoen kyläseura ry", "association", {
    fi: "Palojoen kyläseura kokoaa kyläläiset juhliin ja talkoisiin Aleksis Kiven kotikylässä.",
  }),
  org("lepsaman-nuorisoseura", "Lepsämän nuorisoseura ry", "association", {
    fi: "Lepsämän nuorisoseura ylläpitää vanhaa seurantaloa ja järjestää kansantanssia, teatteria ja kylätapahtumia.",
  }),
  org("klaukkalan-martat", "Klaukkalan Martat ry", "association", {
    fi: "Klaukkalan Martat järjestää ruoka- ja kodinhoitokursseja sekä mukavia marttailtoja kaikille kiinnostuneille.",
  }),
  org("nurmijarven-4h", "Nurmijärven 4H-yhdistys ry", "association", {
    fi: "Nurmijärven 4H-yhdistys tarjoaa lapsille ja nuorille kerhoja, kursseja ja ensimmäisiä työkokemuksia.",
    en: "Nurmijärvi 4H offers clubs, courses and first work experiences for children and young people.",
  }),
  org("elakelaiset", "Nurmijärven Eläkeläiset ry", "association", {
    fi: "Nurmijärven Eläkeläiset järjestää jäsenilleen kerhoja, tansseja, retkiä ja virkistystä.",
  }),
  org("svenska-foreningen", "Nurmijärvi svenska förening rf", "association", {
    sv: "Nurmijärvi svenska förening samlar svensk- och tvåspråkiga invånare kring kultur, musik och gemenskap.",
    fi: "Nurmijärvi svenska förening kokoaa ruotsin- ja kaksikielisiä asukkaita kulttuurin, musiikin ja yhdessäolon pariin.",
  }),
  org("luonnonystavat", "Nurmijärven luonnonystävät ry", "association", {
    fi: "Luonnonystävät retkeilee, tarkkailee lintuja ja kasveja sekä pitää luontoluentoja kotiseudun luonnosta.",
  }),
  org("kivilava-teatteri", "Teatteriyhdistys Kivilava ry", "association", {
    fi: "Kivilava on harrastajateatteri, joka esittää kotimaisia näytelmiä ja lastenteatteria omalla näyttämöllään kirkonkylässä.",
    en: "Kivilava is an amateur theatre performing Finnish plays and children's theatre on its own stage.",
  }),
  // Companies
  org("kivijalka", "Kahvila Kivijalka", "company", {
    fi: "Kahvila Kivijalka on kirkonkylän keskustassa toimiva kahvila ja pienkonserttien tapahtumapaikka.",
  }),
  org("hevoshaka", "Ratsutalli Hevoshaka", "company", {
    fi: "Hevoshaka on Röykässä toimiva ratsastuskoulu, jossa ratsastetaan poneilla ja suomenhevosilla.",
    en: "Hevoshaka is a riding school in Röykkä with ponies and Finnhorses.",
  }),
  org("voimala", "Kuntokeskus Voimala", "company", {
    fi: "Voimala on Klaukkalan kuntokeskus, jossa on kuntosali ja ohjattuja ryhmäliikuntatunteja.",
  }),
  org("makelan-tila", "Mäkelän tila ja tilapuoti", "company", {
    fi: "Mäkelän tila Perttulassa kasvattaa vihanneksia ja myy tilapuodissaan lähiruokaa.",
    sv: "Mäkelä gård i Perttula odlar grönsaker och säljer närproducerad mat i sin gårdsbutik.",
  }),
  org("kirjakauppa-seitseman", "Kirjakauppa Seitsemän", "company", {
    fi: "Kirjakauppa Seitsemän on itsenäinen kirjakauppa, joka järjestää kirjailijatapaamisia ja julkistustilaisuuksia.",
  }),
  // Communities
  org("seurakunta", "Nurmijärven seurakunta", "community", {
    fi: "Nurmijärven seurakunta järjestää jumalanpalveluksia, perhetoimintaa, musiikkia ja diakoniatyötä koko kunnan alueella.",
    sv: "Nurmijärvi församling ordnar gudstjänster, familjeverksamhet, musik och diakoni i hela kommunen.",
  }),
  org("klaukkalan-naapurit", "Klaukkalan Naapurit", "community", {
    fi: "Klaukkalan Naapurit on asukkaiden vapaa verkosto, joka järjestää korjauskahviloita, kirpputoreja ja naapuriapua.",
  }),
  org("pajapiste", "Pajapiste", "community", {
    fi: "Pajapiste on Klaukkalan yhteisöllinen työpaja, jossa voi käyttää 3D-tulostimia, ompelukoneita ja puutyökaluja.",
    en: "Pajapiste is a community makerspace in Klaukkala with 3D printers, sewing machines and woodworking tools.",
  }),
  // Other
  org("harjun-vaki", "Taiteilijaryhmä Harjun Väki", "other", {
    fi: "Harjun Väki on nurmijärveläisten kuvataiteilijoiden ja käsityöläisten vapaa ryhmä.",
  }),
  org(
    "perttulan-vanhemmat",
    "Perttulan koulun vanhempainyhdistys",
    "other",
    {
      fi: "Vanhempainyhdistys tukee Perttulan koulun oppilaiden hyvinvointia ja järjestää perheille yhteistä tekemistä.",
    },
    { site: false },
  ),
];

export const EVENT_TEMPLATES: SeedEventTemplate[] = [
  ...TEMPLATES_CULTURE,
  ...TEMPLATES_SPORT,
  ...TEMPLATES_COMMUNITY,
  ...TEMPLATES_SEASONAL,
];

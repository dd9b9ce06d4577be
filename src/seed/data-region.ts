/**
 * The demo region (#21): Nurmijärvi (the main data set, data.ts) and two neighbours,
 * Hyvinkää and Tuusula, each with a few places, organisations and events of its own.
 * Nurmijärvi shows every municipality within 30 km of its centre; Hyvinkää shows
 * Nurmijärvi as a chosen neighbour; Tuusula shows only its own events.
 */
import type { LocalizedText } from "../contract/codes.ts";
import type { SeedOrganisation, SeedPlace, SeedVillage } from "./types.ts";

export interface SeedMunicipality {
  slug: string;
  name: { fi: string; sv: string; en?: string };
  languages: string[];
  lat: number;
  lon: number;
  /** Show the events of municipalities within this many km (null: none). */
  neighbourRadiusKm: number | null;
  /** Slugs of chosen neighbours whose events this site shows. */
  neighbours: string[];
}

/** Nurmijärvi: the default municipality of the demo (it keeps the fixed default id). */
export const HOME: SeedMunicipality = {
  slug: "nurmijarvi",
  name: { fi: "Nurmijärvi", sv: "Nurmijärvi" },
  languages: ["fi", "sv", "en"],
  lat: 60.4641,
  lon: 24.8073,
  neighbourRadiusKm: 30,
  neighbours: [],
};

export interface SeedRegionEvent {
  organisation: string;
  place: string;
  categories: string[];
  title: LocalizedText & { fi: string };
  shortDescription: LocalizedText & { fi: string };
  /** Days after the seed date of the first date; the event repeats as separate events. */
  firstDay: number;
  /** Every this many days, `times` times. */
  everyDays: number;
  times: number;
  /** Local start "HH:MM" and duration in minutes. */
  start: string;
  minutes: number;
  isFree: boolean;
}

export interface SeedNeighbour extends SeedMunicipality {
  places: SeedPlace[];
  organisations: SeedOrganisation[];
  events: SeedRegionEvent[];
}

/** The neighbours' villages and districts (their places' `village`). */
export const REGION_VILLAGES: SeedVillage[] = [
  { slug: "hyvinkaan-keskusta", name: { fi: "Hyvinkään keskusta", sv: "Hyvinge centrum" } },
  { slug: "sveitsi", name: { fi: "Sveitsi" } },
  { slug: "hyryla", name: { fi: "Hyrylä", sv: "Skogby" } },
  { slug: "rantatie", name: { fi: "Tuusulan Rantatie", sv: "Tusby Strandväg" } },
];

const site = (slug: string) => ({
  website: `https://${slug}.example.fi`,
  publicEmail: `info@${slug}.example.fi`,
});

export const NEIGHBOURS: SeedNeighbour[] = [
  {
    slug: "hyvinkaa",
    name: { fi: "Hyvinkää", sv: "Hyvinge" },
    languages: ["fi", "sv", "en"],
    lat: 60.6306,
    lon: 24.8614,
    neighbourRadiusKm: null,
    neighbours: ["nurmijarvi"],
    places: [
      {
        slug: "hyvinkaan-paakirjasto",
        name: { fi: "Hyvinkään pääkirjasto", sv: "Hyvinge huvudbibliotek", en: "Hyvinkää Main Library" },
        streetAddress: "Hämeenkatu 3",
        postalCode: "05800",
        locality: "Hyvinkää",
        village: "hyvinkaan-keskusta",
        lat: 60.6312,
        lon: 24.8602,
        accessibility: ["wheelchair_accessible", "step_free_entrance", "accessible_toilet", "induction_loop"],
      },
      {
        slug: "hyvinkaan-taidemuseo",
        name: { fi: "Hyvinkään taidemuseo", sv: "Hyvinge konstmuseum", en: "Hyvinkää Art Museum" },
        streetAddress: "Hämeenkatu 3 D",
        postalCode: "05800",
        locality: "Hyvinkää",
        village: "hyvinkaan-keskusta",
        lat: 60.6315,
        lon: 24.8609,
        accessibility: ["wheelchair_accessible", "step_free_entrance", "seating_available"],
      },
      {
        slug: "sveitsin-ulkoilualue",
        name: { fi: "Sveitsin ulkoilualue", sv: "Sveitsi friluftsområde", en: "Sveitsi Outdoor Area" },
        streetAddress: "Härkävehmaankatu 1",
        postalCode: "05820",
        locality: "Hyvinkää",
        village: "sveitsi",
        lat: 60.6235,
        lon: 24.8395,
        accessibility: ["accessible_parking"],
      },
    ],
    organisations: [
      {
        slug: "hyvinkaan-kaupunginkirjasto",
        name: "Hyvinkään kaupunginkirjasto",
        kind: "municipality",
        description: {
          fi: "Hyvinkään kaupunginkirjasto järjestää satutunteja, lukupiirejä ja kirjailijavierailuja.",
          sv: "Hyvinge stadsbibliotek ordnar sagostunder, läsecirklar och författarbesök.",
        },
        ...site("hyvinkaan-kaupunginkirjasto"),
        trusted: true,
      },
      {
        slug: "hyvinkaan-latu",
        name: "Hyvinkään Latu ry",
        kind: "association",
        description: { fi: "Ulkoilua ja retkiä Hyvinkään Sveitsissä ja lähimetsissä." },
        ...site("hyvinkaan-latu"),
        trusted: false,
      },
    ],
    events: [
      {
        organisation: "hyvinkaan-kaupunginkirjasto",
        place: "hyvinkaan-paakirjasto",
        categories: ["kirjasto", "lapset"],
        title: { fi: "Satutunti Hyvinkään pääkirjastossa", sv: "Sagostund i Hyvinge huvudbibliotek" },
        shortDescription: { fi: "Saduja ja loruja 3–6-vuotiaille.", sv: "Sagor och ramsor för 3–6-åringar." },
        firstDay: 1,
        everyDays: 7,
        times: 8,
        start: "10:00",
        minutes: 45,
        isFree: true,
      },
      {
        organisation: "hyvinkaan-kaupunginkirjasto",
        place: "hyvinkaan-paakirjasto",
        categories: ["kirjasto", "luennot"],
        title: {
          fi: "Kirjailijavieras: dekkarit ja Hyvinkää",
          en: "Author visit: crime novels and Hyvinkää",
        },
        shortDescription: {
          fi: "Keskustelu kotimaisesta dekkarista.",
          en: "A talk on Finnish crime fiction.",
        },
        firstDay: 4,
        everyDays: 21,
        times: 4,
        start: "18:00",
        minutes: 90,
        isFree: true,
      },
      {
        organisation: "hyvinkaan-kaupunginkirjasto",
        place: "hyvinkaan-taidemuseo",
        categories: ["nayttelyt", "kulttuuri"],
        title: { fi: "Opastettu kierros taidemuseossa", sv: "Guidad tur i konstmuseet" },
        shortDescription: { fi: "Tunnin kierros vaihtuvassa näyttelyssä." },
        firstDay: 2,
        everyDays: 14,
        times: 6,
        start: "13:00",
        minutes: 60,
        isFree: false,
      },
      {
        organisation: "hyvinkaan-latu",
        place: "sveitsin-ulkoilualue",
        categories: ["luonto", "liikunta"],
        title: { fi: "Sveitsin iltakävely", sv: "Kvällspromenad i Sveitsi" },
        shortDescription: { fi: "Rauhallinen 5 km kävely harjumaisemissa." },
        firstDay: 3,
        everyDays: 7,
        times: 8,
        start: "18:30",
        minutes: 90,
        isFree: true,
      },
    ],
  },
  {
    slug: "tuusula",
    name: { fi: "Tuusula", sv: "Tusby" },
    languages: ["fi", "sv", "en"],
    lat: 60.4035,
    lon: 25.0266,
    neighbourRadiusKm: null,
    neighbours: [],
    places: [
      {
        slug: "tuusulan-paakirjasto",
        name: { fi: "Tuusulan pääkirjasto", sv: "Tusby huvudbibliotek", en: "Tuusula Main Library" },
        streetAddress: "Hyryläntie 10",
        postalCode: "04300",
        locality: "Tuusula",
        village: "hyryla",
        lat: 60.3998,
        lon: 25.0297,
        accessibility: ["wheelchair_accessible", "step_free_entrance", "accessible_toilet"],
      },
      {
        slug: "halosenniemi",
        name: { fi: "Halosenniemi", sv: "Halosenniemi", en: "Halosenniemi Museum" },
        streetAddress: "Halosenniementie 4–6",
        postalCode: "04310",
        locality: "Tuusula",
        village: "rantatie",
        lat: 60.4378,
        lon: 25.0573,
        accessibility: ["seating_available"],
      },
    ],
    organisations: [
      {
        slug: "tuusulan-museot",
        name: "Tuusulan museot",
        kind: "municipality",
        description: {
          fi: "Tuusulan Rantatien museot: Halosenniemi, Ainola ja Aleksis Kiven kuolinmökki.",
          sv: "Museerna vid Tusby Strandväg: Halosenniemi, Ainola och Aleksis Kivis dödsstuga.",
        },
        ...site("tuusulan-museot"),
        trusted: true,
      },
      {
        slug: "tuusulan-kirjasto",
        name: "Tuusulan kirjasto",
        kind: "municipality",
        description: { fi: "Tuusulan kirjaston tapahtumat Hyrylässä, Jokelassa ja Kellokoskella." },
        ...site("tuusulan-kirjasto"),
        trusted: true,
      },
    ],
    events: [
      {
        organisation: "tuusulan-museot",
        place: "halosenniemi",
        categories: ["nayttelyt", "kulttuuri"],
        title: {
          fi: "Halosenniemen opastus",
          sv: "Guidning på Halosenniemi",
          en: "Guided tour of Halosenniemi",
        },
        shortDescription: { fi: "Pekka Halosen ateljeekoti ja Tuusulanjärven taiteilijayhteisö." },
        firstDay: 2,
        everyDays: 7,
        times: 8,
        start: "12:00",
        minutes: 60,
        isFree: false,
      },
      {
        organisation: "tuusulan-kirjasto",
        place: "tuusulan-paakirjasto",
        categories: ["kirjasto", "seniorit"],
        title: { fi: "Digiapu senioreille", sv: "Digihjälp för seniorer" },
        shortDescription: {
          fi: "Apua puhelimen ja tabletin käyttöön.",
          sv: "Hjälp med telefon och surfplatta.",
        },
        firstDay: 1,
        everyDays: 7,
        times: 8,
        start: "14:00",
        minutes: 120,
        isFree: true,
      },
      {
        organisation: "tuusulan-kirjasto",
        place: "tuusulan-paakirjasto",
        categories: ["kirjasto", "lapset"],
        title: { fi: "Lukukoiran kanssa lukemaan", sv: "Läs med en läshund" },
        shortDescription: { fi: "Lapsi lukee koiralle ääneen, 15 minuuttia kerrallaan." },
        firstDay: 5,
        everyDays: 14,
        times: 4,
        start: "17:00",
        minutes: 60,
        isFree: true,
      },
    ],
  },
];

// How the groups of the built-in club lists (state.clubs[].group: a club's country, a national team's
// confederation) are shown in each language. The wire keeps the English names; an unknown group shows as sent.
import { getLang } from "./i18n.js";

const NAMES = {
  en: {
    UEFA: "Europe (UEFA)",
    CONMEBOL: "South America (CONMEBOL)",
    CONCACAF: "North and Central America (CONCACAF)",
    CAF: "Africa (CAF)",
    AFC: "Asia (AFC)",
    OFC: "Oceania (OFC)",
  },
  pl: {
    England: "Anglia",
    Spain: "Hiszpania",
    Germany: "Niemcy",
    Italy: "Włochy",
    France: "Francja",
    Portugal: "Portugalia",
    Netherlands: "Holandia",
    Scotland: "Szkocja",
    Turkey: "Turcja",
    Belgium: "Belgia",
    Austria: "Austria",
    Ukraine: "Ukraina",
    Greece: "Grecja",
    Serbia: "Serbia",
    Croatia: "Chorwacja",
    Denmark: "Dania",
    Switzerland: "Szwajcaria",
    UEFA: "Europa (UEFA)",
    CONMEBOL: "Ameryka Południowa (CONMEBOL)",
    CONCACAF: "Ameryka Północna i Środkowa (CONCACAF)",
    CAF: "Afryka (CAF)",
    AFC: "Azja (AFC)",
    OFC: "Oceania (OFC)",
  },
};

export function groupName(group) {
  return NAMES[getLang()]?.[group] || group;
}

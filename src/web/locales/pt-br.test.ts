// The Portuguese-speaking members are Brazilian: every Portuguese string — the web app's
// (src/web/locales/pt.json, features/*/locales/pt.json) and the server's mails
// (src/server/locales/pt.json) — is Brazilian Portuguese (docs/development.md, "Adding or
// changing a translation"). This fails on words and forms used only in European Portuguese.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { flatten, localeFiles, readTree, WEB_DIR } from './catalogues.test-helpers';

/**
 * European-Portuguese-only words and forms (as whole words: letters with accents count as
 * letters), each with the Brazilian one to use.
 */
const word = (w: string, flags = 'iu') => new RegExp(`(?<![\\p{L}\\p{N}])(?:${w})(?![\\p{L}\\p{N}])`, flags);
export const EUROPEAN_ONLY: [RegExp, string][] = [
  [word('palavras?-passe'), 'senha'],
  [word('telem[óo]ve(?:l|is)'), 'celular'],
  [word('contactos?'), 'contato'],
  [word('contact(?:ar|e|ou|ado|ada|em)'), 'contatar / entrar em contato'],
  [word('descarreg\\p{L}*'), 'baixar'],
  [word('ficheiros?'), 'arquivo'],
  [word('ecrãs?'), 'tela'],
  [word('utilizador(?:es|as?)?'), 'usuário'],
  [word('registos?'), 'registro'],
  [word('regist(?:ar|ado|ada|e)'), 'registrar / cadastrar'],
  [word('equipas?'), 'equipe'],
  [word('partilh\\p{L}*'), 'compartilhar'],
  [word('cara[íi]bas'), 'Caribe'],
  [word('s[íi]tio web'), 'site'],
  [word('introduza'), 'digite / informe'],
  [/senhor\/a/i, 'você'],
  [word('gerir'), 'gerenciar'],
  [word('eletr[óo]nic\\p{L}*'), 'eletrônico'],
  [word('an[óo]nim\\p{L}*'), 'anônimo'],
  [word('aut[óo]nom\\p{L}*'), 'autônomo'],
  [word('logótipos?'), 'logotipo'],
  [word('académic\\p{L}*'), 'acadêmico'],
  [word('demasiad[oa]s?'), 'demais / muito'],
  [word('ligaç(?:ão|ões)'), 'link / conexão'],
  [word('aceites'), 'aceitos'],
  [word('ac[çt]ão|ac[çt]ões|actualiz\\p{L}*'), 'ação / atualizar'],
  [word('A minha|O meu', 'u'), 'Minha / Meu'],
  [word('consigo'), 'com você'],
  [word('correu mal'), 'deu errado'],
  [word('a carregar'), 'carregando'],
  [word('aplicação de autenticação'), 'aplicativo autenticador'],
];

describe('Portuguese strings are Brazilian Portuguese', () => {
  for (const file of localeFiles('pt')) {
    it(path.relative(path.resolve(WEB_DIR, '../..'), file), () => {
      const found: string[] = [];
      for (const [key, value] of flatten(readTree(file))) {
        for (const [word, use] of EUROPEAN_ONLY) {
          const m = word.exec(String(value));
          if (m) found.push(`${key}: “${m[0]}” (use ${use}) in “${String(value)}”`);
        }
      }
      expect(found).toEqual([]);
    });
  }

  it('the check itself catches the words the issue names', () => {
    const caught = (s: string) => EUROPEAN_ONLY.some(([w]) => w.test(s));
    for (const s of ['Descarregar a chave', 'a palavra-passe', 'o contacto', 'o ficheiro', 'no ecrã', 'o utilizador', 'o registo', 'a equipa', 'o telemóvel']) expect(caught(s), s).toBe(true);
    for (const s of ['Baixar vCard', 'a senha', 'o contato', 'o arquivo', 'na tela', 'o usuário', 'o registro', 'a equipe', 'o celular', 'o cadastro']) expect(caught(s), s).toBe(false);
  });
});

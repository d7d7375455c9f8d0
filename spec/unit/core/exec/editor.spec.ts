import { editorWords } from '../../../../lib/core/exec/editor.js';

it.each([
  ['vim', ['vim']],
  ['code --wait', ['code', '--wait']],
  [`vim -c "set ft=yaml"`, ['vim', '-c', 'set ft=yaml']],
  [`sed -i 's/a$/b/'`, ['sed', '-i', 's/a$/b/']],
])('%s', (command, words) => {
  expect(editorWords(command)).toEqual(words);
});

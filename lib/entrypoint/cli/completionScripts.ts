/**
 * The scripts `mcp completion <shell>` prints. Each asks the CLI itself for candidates
 * (`mcp __complete -- <words>`, see completion.ts), so they never go stale.
 */

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

export function completionScript(shell: Shell): string {
  switch (shell) {
    case 'bash':
      return `# mcp completion for bash: add to ~/.bashrc
#   source <(mcp completion bash)
_mcp_completion() {
  local IFS=$'\\n'
  COMPREPLY=($(mcp __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _mcp_completion mcp
`;
    case 'zsh':
      return `#compdef mcp
# mcp completion for zsh: add to ~/.zshrc (after compinit)
#   source <(mcp completion zsh)
_mcp() {
  local -a candidates
  candidates=("\${(@f)$(mcp __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  candidates=(\${candidates:#})
  if (( \${#candidates} )); then compadd -a candidates; else _files; fi
}
compdef _mcp mcp
`;
    case 'fish':
      return `# mcp completion for fish: save as ~/.config/fish/completions/mcp.fish
#   mcp completion fish > ~/.config/fish/completions/mcp.fish
function __mcp_complete
    set -l words (commandline -opc)
    set -l current (commandline -ct)
    mcp __complete -- $words[2..-1] "$current" 2>/dev/null
end
complete -c mcp -f -a '(__mcp_complete)'
`;
  }
}

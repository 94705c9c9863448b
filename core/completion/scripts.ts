// The completion scripts `confctl completion SHELL` prints. Each asks the program itself (the word the
// user typed for it) for the candidates: `confctl completion --complete SHELL -- …`. zsh and fish pass
// the words they have split; bash and PowerShell pass the line up to the cursor as one argument, which
// confctl splits (bash's own words break at `=` and `:`, and PowerShell drops empty arguments to native
// programs before 7.3). Nothing typed is evaluated by the shell: a word like $(rm -rf ~) stays a word.

export const SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const;
export type Shell = (typeof SHELLS)[number];

const bash = `# bash completion for confctl. Load it from ~/.bashrc:
#     eval "$(confctl completion bash)"
# or save it for every user: confctl completion bash > /etc/bash_completion.d/confctl
_confctl_completion() {
    local cur=\${COMP_WORDS[COMP_CWORD]} mode file
    local -a reply
    mapfile -t reply < <("\${COMP_WORDS[0]}" completion --complete bash -- "\${COMP_LINE:0:COMP_POINT}" 2>/dev/null)
    mode=\${reply[0]}
    COMPREPLY=("\${reply[@]:1}")
    if [[ $mode == files || $mode == dirs ]]; then
        compopt -o filenames 2>/dev/null
        while IFS= read -r file; do COMPREPLY+=("$file"); done < <(compgen -"\${mode:0:1}" -- "$cur")
    fi
    if [[ \${#COMPREPLY[@]} -eq 1 && \${COMPREPLY[0]} == *= ]]; then compopt -o nospace 2>/dev/null; fi
    return 0
}
complete -F _confctl_completion confctl
`;

const zsh = `#compdef confctl
# zsh completion for confctl. Load it from ~/.zshrc, after compinit:
#     source <(confctl completion zsh)
# or save it as _confctl in a folder of $fpath: confctl completion zsh > ~/.zfunc/_confctl
_confctl() {
    local -a reply values descriptions
    local line mode
    reply=("\${(@f)$("\${words[1]}" completion --complete zsh -- "\${(@Q)words[2,CURRENT]}" 2>/dev/null)}")
    mode=\${reply[1]}
    for line in "\${(@)reply[2,-1]}"; do
        [[ -n $line ]] || continue
        values+=("\${line%%$'\\t'*}")
        if [[ $line == *$'\\t'* ]]; then
            descriptions+=("\${line%%$'\\t'*}  -- \${line#*$'\\t'}")
        else
            descriptions+=("$line")
        fi
    done
    (( \${#values} )) && compadd -l -d descriptions -a values
    [[ $mode == files ]] && _files
    [[ $mode == dirs ]] && _files -/
    return 0
}
if [[ \${zsh_eval_context[-1]} == loadautofunc ]]; then
    _confctl "$@"
else
    compdef _confctl confctl
fi
`;

const fish = `# fish completion for confctl. Save it where fish finds it:
#     confctl completion fish > ~/.config/fish/completions/confctl.fish
function __confctl_complete
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    set -l reply ($tokens[1] completion --complete fish -- $tokens[2..-1] "$current" 2>/dev/null)
    set -q reply[1]; or return
    printf '%s\\n' $reply[2..-1]
    switch $reply[1]
        case files
            __fish_complete_path "$current"
        case dirs
            __fish_complete_directories "$current"
    end
end
complete -c confctl -f -a '(__confctl_complete)'
`;

const powershell = `# PowerShell completion for confctl. Load it from $PROFILE:
#     confctl completion powershell | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName confctl -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $line = $commandAst.Extent.Text.Substring(0, [Math]::Min($commandAst.Extent.Text.Length, $cursorPosition - $commandAst.Extent.StartOffset))
    if ($line.Length -lt $cursorPosition - $commandAst.Extent.StartOffset) { $line += ' ' }
    $program = $commandAst.CommandElements[0].ToString()
    $reply = @(& $program completion --complete powershell -- $line 2>$null)
    if ($reply.Count -eq 0) { return }
    $mode = $reply[0]
    foreach ($entry in ($reply | Select-Object -Skip 1)) {
        $value, $description = $entry -split "\`t", 2
        if (-not $description) { $description = $value }
        $text = if ($value -match '[\\s''"]') { "'" + ($value -replace "'", "''") + "'" } else { $value }
        [System.Management.Automation.CompletionResult]::new($text, $value, 'ParameterValue', $description)
    }
    if ($mode -ne 'words') {
        Get-ChildItem -Path "$wordToComplete*" -Directory:($mode -eq 'dirs') -ErrorAction SilentlyContinue | ForEach-Object {
            [System.Management.Automation.CompletionResult]::new($_.Name, $_.Name, 'ProviderItem', $_.Name)
        }
    }
}
`;

export const SCRIPTS: Record<Shell, string> = { bash, zsh, fish, powershell };

/**
 * A command line as a POSIX shell splits it, without expanding anything: quotes and backslashes
 * are honoured, an unclosed quote runs to the end (the word being typed), and a line ending in a
 * blank ends with an empty word.
 */
export function splitLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  words.push(word);
  return words;
}

/**
 * The model's reply as plain text. Channels render what they are given: Markdown in Teams messages and
 * Adaptive Cards, mrkdwn in Slack, HTML in some clients. A link, image or tag the model wrote would be
 * shown as if the product had made it, beside genuine citations, so none is kept: a link keeps its
 * visible words and loses its address; images, tags, scripts and bare addresses go. Citation markers
 * ("[2]") are kept for the caller; the only links in an answer are those the renderers make to the cited
 * documents on undocs.org.
 */

const MARKER_LABEL = /^\s*\d{1,3}(?:\s*[,，、;；\-–~]\s*\d{1,3})*\s*$/;
const keepMarker = (label: string) => (MARKER_LABEL.test(label) ? `[${label}]` : label);

export function plainModelText(output: string): string {
  return (
    output
      // Whole elements whose content is code, not text.
      .replace(/<(script|style|iframe|object|svg)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
      // ![alt](address) and ![alt][ref]
      .replace(/!\[[^\]\n]*\]\s*(?:\([^)\n]*\)|\[[^\]\n]*\])/g, '')
      // [words](address "title")
      .replace(/\[([^\]\n]*)\]\(\s*<?[^\s()<>]*>?(?:\s+["'“][^"'”\n]*["'”])?\s*\)/g, (_, label: string) => keepMarker(label))
      // [words][ref], where ref is not a marker
      .replace(/\[([^\]\n]+)\]\[([^\]\n]*[^\]\d\s,，、;；\-–~\n][^\]\n]*)\]/g, (_, label: string) => keepMarker(label))
      // [ref]: address (reference definitions)
      .replace(/^[ \t]*\[[^\]\n]+\]:[ \t]*\S+.*$/gm, '')
      // Slack links <address|words>, then autolinks, mentions and every tag
      .replace(/<(?:https?:|mailto:|www\.)[^<>|\n]*\|([^<>\n]*)>/gi, '$1')
      .replace(/<\/?[A-Za-z!?@#][^<>\n]*>/g, '')
      // Bare addresses and script-bearing URLs
      .replace(/\b(?:https?:\/\/|www\.)[^\s<>()（）[\]【】"'“”，。；]+/gi, '')
      .replace(/\b(?:javascript|vbscript|data|file):[^\s<>()（）[\]【】"'“”，。；]*/gi, '')
      .replace(/`+/g, '')
  );
}

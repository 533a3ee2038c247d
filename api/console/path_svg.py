"""A reason's graph path drawn as a small inline SVG, on the server.

Paths are ['Kind:id', 'REL', 'Kind:id', ...] (docs/audit.md); nodes are stacked top to
bottom with the relationship on the arrow between them, so a long id never runs off
the side. Every text is escaped: ids come from policy files.
"""

from __future__ import annotations

from html import escape

NODE_H, GAP, PAD, CHAR_W = 30, 34, 8, 7.2
COLOURS = {
    "Decision": "#6b7280",
    "Document": "#2563eb",
    "DataSource": "#1d4ed8",
    "SensitivityLabel": "#d97706",
    "EntityType": "#059669",
    "Policy": "#b91c1c",
    "Intent": "#0d9488",
    "Principal": "#7c3aed",
    "Role": "#9333ea",
    "Tenant": "#4b5563",
}


def path_svg(path: list[str]) -> str:
    nodes, rels = path[0::2], path[1::2]
    if not nodes:
        return ""
    width = int(max(len(n) for n in nodes) * CHAR_W + 2 * PAD + 24)
    height = len(nodes) * NODE_H + (len(nodes) - 1) * GAP + 2
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="path" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(" ".join(path))}">'
    ]
    for i, node in enumerate(nodes):
        kind, _, node_id = node.partition(":")
        y = 1 + i * (NODE_H + GAP)
        colour = COLOURS.get(kind, "#374151")
        parts.append(
            f'<g class="node" data-node="{escape(node)}">'
            f'<rect x="1" y="{y}" rx="6" width="{width - 2}" height="{NODE_H}" '
            f'fill="white" stroke="{colour}" stroke-width="2"/>'
            f'<text x="{PAD + 4}" y="{y + 20}" font-size="12" fill="{colour}">'
            f'<tspan font-weight="bold">{escape(kind)}</tspan> {escape(node_id)}</text></g>'
        )
        if i < len(rels):
            top, bottom = y + NODE_H, y + NODE_H + GAP
            x = 24
            parts.append(
                f'<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom - 4}" stroke="#111" '
                f'stroke-width="1.5"/><polygon points="{x - 4},{bottom - 8} {x + 4},{bottom - 8} '
                f'{x},{bottom}" fill="#111"/>'
                f'<text x="{x + 10}" y="{top + GAP / 2 + 4}" font-size="11" fill="#111" '
                f'class="rel">{escape(rels[i])}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)

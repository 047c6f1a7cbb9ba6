"""Lines that can be traced: each link routed around the boxes it does not join.

Every box is placed before any line is drawn; :func:`route` then draws each link that joins
two elements (a brake to its transition, a facilitator to what it answers, the backstage's
links) as a line of horizontal and vertical runs on a grid of :data:`PITCH` points, through
invisible bends (``waypoint`` boxes):

- a line never enters a box it does not join, nor comes nearer than :data:`MARGIN` to one;
- two lines never run along the same stretch: a grid cell a line runs through horizontally
  is closed to other horizontal runs (and so vertically), and a cell where a line turns, or
  ends, is closed to every other line. Lines may cross, at right angles;
- the lines laid before (the cycle's arcs, the emotion curves, the legend's samples) are
  crossed, never followed;
- a line leaves its tail and reaches its head at a cell just outside the box, on any side,
  each cell used by one line only, so lines meeting at a box arrive side by side.

The search is A* over (cell, direction), a bend costing more than a step, and a crossing
more still, shortest lines first; everything is in document order, so the drawing is
deterministic. A link the search cannot route (no room left) keeps its straight line.
"""

from __future__ import annotations

import heapq
import math

from usager.exporters._drawing.scene import Box, Group, Link

__all__ = ["MARGIN", "PITCH", "ROUTED", "route"]

#: The relations whose links are routed; the others are drawn as they were laid out.
ROUTED = frozenset({"holds", "addresses", "eases", "uses", "performs", "provides", "dangling", "answers"})
#: The grid's step, in points: the distance between two lines running side by side.
PITCH = 7.0
#: The room kept clear round a box, in points.
MARGIN = 3.0

_H, _V, _X = 1, 2, 4  # a cell's flags: run through horizontally, vertically, closed
_STEPS = ((1, 0), (-1, 0), (0, 1), (0, -1))  # directions: right, left, up, down
_BEND, _CROSS = 3.0, 2.0
_BUDGET = 400_000  # expansions per line before giving up


class _Grid:
    """The cells of the drawing: which box owns each, and which lines use it."""

    def __init__(self, group: Group) -> None:
        left, bottom, right, top = group.bounds()
        pad = PITCH * 4
        self.x0, self.y0 = left - pad, bottom - pad
        self.nx = math.ceil((right - left + 2 * pad) / PITCH) + 1
        self.ny = math.ceil((top - bottom + 2 * pad) / PITCH) + 1
        size = self.nx * self.ny
        self.owner = [-1] * size  # -1: free; -2: near two boxes; else the box's number
        self.flags = bytearray(size)
        self.boxes = [b for b in group.boxes if b.kind not in ("waypoint", "bend")]
        self.number = {b.key: n for n, b in enumerate(self.boxes)}
        self.extent: list[tuple[int, int, int, int]] = []
        for n, box in enumerate(self.boxes):
            i0, j0, i1, j1 = self.cover(box)
            self.extent.append((i0, j0, i1, j1))
            for j in range(j0, j1 + 1):
                row = j * self.nx
                for i in range(i0, i1 + 1):
                    was = self.owner[row + i]
                    self.owner[row + i] = n if was in (-1, n) else -2

    def cover(self, box: Box) -> tuple[int, int, int, int]:
        """The cells whose centre lies within ``box`` grown by the margin (they may be an empty range)."""
        left, bottom, right, top = box.bounds()
        i0 = math.ceil((left - MARGIN - self.x0) / PITCH)
        i1 = math.floor((right + MARGIN - self.x0) / PITCH)
        j0 = math.ceil((bottom - MARGIN - self.y0) / PITCH)
        j1 = math.floor((top + MARGIN - self.y0) / PITCH)
        if i0 > i1:  # a box thinner than a cell still owns the cells its centre is nearest
            i0 = i1 = round((box.x - self.x0) / PITCH)
        if j0 > j1:
            j0 = j1 = round((box.y - self.y0) / PITCH)
        return i0, j0, i1, j1

    def centre(self, cell: int) -> tuple[float, float]:
        """The centre of ``cell``, in points."""
        j, i = divmod(cell, self.nx)
        return self.x0 + i * PITCH, self.y0 + j * PITCH

    def lay(self, a: tuple[float, float], b: tuple[float, float], ends: tuple[int, int]) -> None:
        """Mark the cells a straight line laid before runs through (outside its own ends' boxes)."""
        (ax, ay), (bx, by) = a, b
        flag = _H if abs(bx - ax) >= abs(by - ay) else _V
        reach = PITCH / 2 + 1.0
        i0 = max(0, math.floor((min(ax, bx) - reach - self.x0) / PITCH))
        i1 = min(self.nx - 1, math.ceil((max(ax, bx) + reach - self.x0) / PITCH))
        j0 = max(0, math.floor((min(ay, by) - reach - self.y0) / PITCH))
        j1 = min(self.ny - 1, math.ceil((max(ay, by) + reach - self.y0) / PITCH))
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        for j in range(j0, j1 + 1):
            for i in range(i0, i1 + 1):
                cell = j * self.nx + i
                if self.owner[cell] in ends:
                    continue
                px, py = self.x0 + i * PITCH - ax, self.y0 + j * PITCH - ay
                if length:
                    t = max(0.0, min(1.0, (px * dx + py * dy) / (length * length)))
                    distance = math.hypot(px - t * dx, py - t * dy)
                else:
                    distance = math.hypot(px, py)
                if distance <= reach:
                    self.flags[cell] |= flag

    def terminals(self, n: int) -> dict[int, int]:
        """The free cells just outside box ``n``'s sides, each with the direction leading away."""
        i0, j0, i1, j1 = self.extent[n]
        out: dict[int, int] = {}
        sides = (
            ((i, j1 + 1) for i in range(i0, i1 + 1)),
            ((i, j0 - 1) for i in range(i0, i1 + 1)),
            ((i1 + 1, j) for j in range(j0, j1 + 1)),
            ((i0 - 1, j) for j in range(j0, j1 + 1)),
        )
        for direction, side in zip((2, 3, 0, 1), sides, strict=True):
            for i, j in side:
                if 0 <= i < self.nx and 0 <= j < self.ny:
                    cell = j * self.nx + i
                    if self.owner[cell] == -1 and not self.flags[cell]:
                        out.setdefault(cell, direction)
        return out


def _search(grid: _Grid, sources: dict[int, int], targets: dict[int, int], goal: tuple[int, int, int, int]) -> list[int]:
    """The cells of the cheapest line from one of ``sources`` to one of ``targets`` (empty: none)."""
    nx, ny, owner, flags = grid.nx, grid.ny, grid.owner, grid.flags
    gi0, gj0, gi1, gj1 = goal

    def guess(cell: int) -> float:
        j, i = divmod(cell, nx)
        return max(gi0 - i, 0, i - gi1) + max(gj0 - j, 0, j - gj1)

    best: dict[tuple[int, int], float] = {}
    came: dict[tuple[int, int], tuple[int, int] | None] = {}
    heap: list[tuple[float, float, int, int]] = []
    for cell, direction in sorted(sources.items()):
        state = (cell, direction)
        best[state] = 0.0
        came[state] = None
        heapq.heappush(heap, (guess(cell), 0.0, cell, direction))
    budget = _BUDGET
    while heap and budget:
        budget -= 1
        _, cost, cell, direction = heapq.heappop(heap)
        if cost > best.get((cell, direction), math.inf):
            continue
        if cell in targets and cell not in sources:
            path = []
            state: tuple[int, int] | None = (cell, direction)
            while state is not None:
                path.append(state[0])
                state = came[state]
            return path[::-1]
        j, i = divmod(cell, nx)
        start = came[(cell, direction)] is None
        for turn, (di, dj) in enumerate(_STEPS):
            if turn == direction ^ 1 and not start:  # no going back
                continue
            bend = turn != direction
            if bend and not start and flags[cell]:
                continue  # no turn on a line
            ni, nj = i + di, j + dj
            if not (0 <= ni < nx and 0 <= nj < ny):
                continue
            near = nj * nx + ni
            flag = flags[near]
            axis = _H if turn < 2 else _V
            if near in targets:
                if flag:
                    continue
            elif owner[near] != -1 or flag & (axis | _X):
                continue
            step = 1.0 + (_BEND if bend and not start else 0.0) + (_CROSS if flag else 0.0)
            new = cost + step
            state = (near, turn)
            if new < best.get(state, math.inf):
                best[state] = new
                came[state] = (cell, direction)
                heapq.heappush(heap, (new + guess(near), new, near, turn))
    return []


def _bends(grid: _Grid, path: list[int]) -> list[int]:
    """The cells of ``path`` where it starts, turns or ends."""
    out = [path[0]]
    for a, b, c in zip(path, path[1:], path[2:], strict=False):
        if b - a != c - b:
            out.append(b)
    if len(path) > 1:
        out.append(path[-1])
    return out


def _mark(grid: _Grid, path: list[int], corners: list[int]) -> None:
    for a, b in zip(path, path[1:], strict=False):
        axis = _H if abs(b - a) == 1 else _V
        grid.flags[a] |= axis
        grid.flags[b] |= axis
    for cell in corners:
        grid.flags[cell] |= _X


def route(group: Group) -> None:
    """Route the links of ``group`` whose relation is in :data:`ROUTED` (see the module documentation)."""
    links = group.links
    todo = [k for k, link in enumerate(links) if link.relation in ROUTED and not link.fixed and link.tail != link.head]
    if not todo:
        return
    grid = _Grid(group)
    where = {b.key: b for b in group.boxes}
    for k, link in enumerate(links):
        if k in todo or link.tail not in where or link.head not in where:
            continue
        a, b = where[link.tail], where[link.head]
        ends = (grid.number.get(link.tail, -3), grid.number.get(link.head, -3))
        grid.lay((a.x, a.y), (b.x, b.y), ends)

    def length(k: int) -> tuple[float, int]:
        a, b = where.get(links[k].tail), where.get(links[k].head)
        if a is None or b is None:
            return math.inf, k
        return abs(a.x - b.x) + abs(a.y - b.y), k

    routed: dict[int, list[Link]] = {}
    for k in sorted(todo, key=length):
        link = links[k]
        tail, head = grid.number.get(link.tail), grid.number.get(link.head)
        if tail is None or head is None:
            continue
        sources, targets = grid.terminals(tail), grid.terminals(head)
        if not sources or not targets:
            continue
        i0, j0, i1, j1 = grid.extent[head]
        path = _search(grid, sources, targets, (i0 - 1, j0 - 1, i1 + 1, j1 + 1))
        if not path:
            continue
        corners = _bends(grid, path)
        _mark(grid, path, corners)
        chain = [link.tail]
        for m, cell in enumerate(corners):
            x, y = grid.centre(cell)
            point = Box(f"{link.tail}_{link.head}_{k}w{m}", "bend", [], w=1, h=1, x=x, y=y)
            group.boxes.append(point)
            chain.append(point.key)
        chain.append(link.head)
        pieces = [Link(a, b, link.relation, "arrowhead=none") for a, b in zip(chain, chain[1:-1], strict=False)]
        pieces.append(Link(chain[-2], chain[-1], link.relation, link.extra))
        routed[k] = pieces
    group.links = [piece for k, link in enumerate(links) for piece in routed.get(k, [link])]

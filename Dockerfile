FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
# Dependencies first, so code changes do not reinstall them.
COPY pyproject.toml ./
RUN pip install --no-cache-dir ".[postgres]"
COPY . .
RUN useradd --create-home app && mkdir -p media private_media && chown -R app media private_media
USER app
EXPOSE 8000
CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]
